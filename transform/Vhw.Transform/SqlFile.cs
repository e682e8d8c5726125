namespace Vhw.Transform;

/// <summary>One SQL file of the project, by its resource path (e.g. <c>models/marts/head_scores.sql</c>).</summary>
public sealed record SqlFile(string Path, string Sql)
{
    /// <summary>The file name without extension: the model, macro file or query name.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>staging | intermediate | marts for a model (<c>models/&lt;layer&gt;/…</c>), otherwise null.</summary>
    public string? Layer => Path.StartsWith("models/", StringComparison.Ordinal) ? Path.Split('/')[1] : null;
}
