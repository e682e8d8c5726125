namespace Vhw.Modeling.Loading;

/// <summary>
/// A checkpoint folder, config.json or safetensors file that cannot be used. The message is one line and
/// names the file (and the tensor or config field where there is one).
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string file, string message, string? tensor = null, Exception? inner = null)
        : base(Format(file, message, tensor), inner)
    {
        File = file;
        Tensor = tensor;
        Detail = message;
    }

    /// <summary>The problem alone, without the file and tensor prefix.</summary>
    public string Detail { get; }

    /// <summary>The offending file (or folder when no single file is to blame).</summary>
    public string File { get; }

    /// <summary>The offending tensor key as written in the file, when there is one.</summary>
    public string? Tensor { get; }

    private static string Format(string file, string message, string? tensor) =>
        tensor is null ? $"{file}: {message}" : $"{file}: tensor '{tensor}': {message}";
}
