using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>raw runs (schema.sql): one row per run × model × benchmark × shard, written when the shard completes.</summary>
public sealed record RunRow
{
    [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
    [JsonPropertyName("query_kind"), ParquetRequired] public string QueryKind { get; init; } = "";
    [JsonPropertyName("config_json"), ParquetRequired] public string ConfigJson { get; init; } = "";
    [JsonPropertyName("vhw_version"), ParquetRequired] public string VhwVersion { get; init; } = "";
    [JsonPropertyName("torchsharp_version"), ParquetRequired] public string TorchSharpVersion { get; init; } = "";
    [JsonPropertyName("dtype"), ParquetRequired] public string Dtype { get; init; } = "";
    [JsonPropertyName("device"), ParquetRequired] public string Device { get; init; } = "";
    [JsonPropertyName("started_at"), ParquetTimestamp(ParquetTimestampResolution.Microseconds)] public DateTime StartedAt { get; init; }
    [JsonPropertyName("finished_at"), ParquetTimestamp(ParquetTimestampResolution.Microseconds)] public DateTime FinishedAt { get; init; }
    [JsonPropertyName("n_samples")] public int NSamples { get; init; }
    [JsonPropertyName("n_rejects")] public int NRejects { get; init; }
    [JsonPropertyName("status"), ParquetRequired] public string Status { get; init; } = "";
    [JsonPropertyName("shard_index")] public int ShardIndex { get; init; }
    [JsonPropertyName("shard_count")] public int ShardCount { get; init; } = 1;
}
