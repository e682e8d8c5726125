using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vhw.Ingest.Pipeline;

/// <summary>
/// The run id is the hash of everything that determines a run's facts, so rerunning the same
/// configuration finds its own manifest and skips completed work, and a changed input gets a new id.
/// </summary>
public sealed record RunIdentity(
    string Model,
    string Benchmark,
    string WeightsSha256,
    string BenchmarkSha256,
    string QueryKind,
    int MaxNewTokens,
    int Limit,
    int ChunkSize,
    string Dtype,
    int CaptureVersion)
{
    /// <summary>Bump when the capture or the metric definitions change.</summary>
    public const int CurrentCaptureVersion = 1;

    public string ToJson() => JsonSerializer.Serialize(this);

    [System.Text.Json.Serialization.JsonIgnore]
    public string RunId => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];

    public static string Sha256OfFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
