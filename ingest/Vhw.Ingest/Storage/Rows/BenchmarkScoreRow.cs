using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>
/// raw benchmark_scores (schema.sql): one row per run × model × benchmark × subset × metric, written when the run
/// completes (before its runs row). Partition keys model and benchmark. Definitions: <see cref="Benchmarks.Scoring.BenchmarkScorer"/>.
/// </summary>
public sealed record BenchmarkScoreRow
{
    [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
    [JsonPropertyName("format"), ParquetRequired] public string Format { get; init; } = "";
    [JsonPropertyName("subset_kind"), ParquetRequired] public string SubsetKind { get; init; } = "";
    [JsonPropertyName("subset"), ParquetRequired] public string Subset { get; init; } = "";
    [JsonPropertyName("metric"), ParquetRequired] public string Metric { get; init; } = "";
    [JsonPropertyName("value")] public double? Value { get; init; }
    [JsonPropertyName("n_samples")] public int NSamples { get; init; }
}
