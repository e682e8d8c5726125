using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>
/// raw head_facts (schema.sql): one row per run × model × benchmark × sample × query_kind × layer × head.
/// model and benchmark are hive partition keys (in the path, not the file).
/// Metric definitions: <see cref="Capture.HeadStats"/>. Not stored because they are exact functions of stored columns
/// (schema.sql's head_facts view derives them, citing HeadStats): text_fraction = 1 − image_fraction and
/// &lt;set&gt;_entropy = (1 − &lt;set&gt;_concentration) · ln n_&lt;set&gt;_tokens. Storing them cost 4 of 12 float columns
/// (BENCHMARKS.md, storage).
/// </summary>
public sealed record HeadFactRow
{
    [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
    [JsonPropertyName("sample_id"), ParquetRequired] public string SampleId { get; init; } = "";
    [JsonPropertyName("query_kind"), ParquetRequired] public string QueryKind { get; init; } = "";
    [JsonPropertyName("layer")] public short Layer { get; init; }
    [JsonPropertyName("head")] public short Head { get; init; }
    [JsonPropertyName("n_keys")] public int NKeys { get; init; }
    [JsonPropertyName("n_image_tokens")] public int NImageTokens { get; init; }
    [JsonPropertyName("n_region_tokens")] public int NRegionTokens { get; init; }
    [JsonPropertyName("n_text_tokens")] public int NTextTokens { get; init; }
    [JsonPropertyName("image_fraction")] public float ImageFraction { get; init; }
    [JsonPropertyName("image_concentration")] public float? ImageConcentration { get; init; }
    [JsonPropertyName("image_top1_share")] public float? ImageTop1Share { get; init; }
    /// <summary>1-based rank of the head among all heads of the sample's query by image_fraction (<see cref="Capture.HeadRanks"/>).</summary>
    [JsonPropertyName("image_rank")] public short ImageRank { get; init; }
    [JsonPropertyName("region_fraction")] public float? RegionFraction { get; init; }
    [JsonPropertyName("region_concentration")] public float? RegionConcentration { get; init; }
    [JsonPropertyName("region_top1_share")] public float? RegionTop1Share { get; init; }
    [JsonPropertyName("text_concentration")] public float? TextConcentration { get; init; }
    [JsonPropertyName("text_top1_share")] public float? TextTop1Share { get; init; }
}
