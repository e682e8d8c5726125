using System.Security.Cryptography;
using System.Text;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>The benchmark part of the run identity.</summary>
public static class BenchmarkSourceHash
{
    /// <summary>
    /// SHA-256 of what defines the samples. A questions.jsonl source without settings hashes as the file itself
    /// (run ids of existing warehouses stay the same); others hash format, settings and every file's hash.
    /// </summary>
    public static string Sha256(IBenchmarkSource source)
    {
        if (source.Kind == BenchmarkKind.Questions && source.Settings.Length == 0 && source.Files.Count == 1)
            return Pipeline.RunIdentity.Sha256OfFile(source.Files[0]);
        var text = new StringBuilder($"{source.Kind.Name()}\n{source.Settings}\n");
        foreach (var f in source.Files) text.Append(Path.GetFileName(f)).Append(' ').Append(Pipeline.RunIdentity.Sha256OfFile(f)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
