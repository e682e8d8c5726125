using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>raw rejects (schema.sql): one row per input that could not be ingested; the run goes on without it.</summary>
public sealed record RejectRow
{
    [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
    [JsonPropertyName("source_file"), ParquetRequired] public string SourceFile { get; init; } = "";
    [JsonPropertyName("line")] public int? Line { get; init; }
    [JsonPropertyName("sample_id")] public string? SampleId { get; init; }
    [JsonPropertyName("field"), ParquetRequired] public string Field { get; init; } = "";
    [JsonPropertyName("reason"), ParquetRequired] public string Reason { get; init; } = "";
}
