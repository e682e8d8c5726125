namespace Vhw.Transform;

/// <summary>The transform could not run; <see cref="SqlFile"/> names the SQL file at fault, when there is one.</summary>
public sealed class TransformException(string message, string? sqlFile = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Resource path of the failing file (e.g. <c>models/marts/head_scores.sql</c>), or null.</summary>
    public string? SqlFile { get; } = sqlFile;
}
