using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>raw samples (schema.sql): one row per run × model × benchmark × sample.</summary>
public sealed record SampleRow
{
    [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
    [JsonPropertyName("sample_id"), ParquetRequired] public string SampleId { get; init; } = "";
    [JsonPropertyName("query_kind"), ParquetRequired] public string QueryKind { get; init; } = "";
    [JsonPropertyName("image_file"), ParquetRequired] public string ImageFile { get; init; } = "";
    [JsonPropertyName("question"), ParquetRequired] public string Question { get; init; } = "";
    [JsonPropertyName("prompt"), ParquetRequired] public string Prompt { get; init; } = "";
    [JsonPropertyName("answer"), ParquetRequired] public string Answer { get; init; } = "";
    [JsonPropertyName("prediction"), ParquetRequired] public string Prediction { get; init; } = "";
    [JsonPropertyName("correct")] public bool Correct { get; init; }
    [JsonPropertyName("n_prompt_tokens")] public int NPromptTokens { get; init; }
    [JsonPropertyName("n_keys")] public int NKeys { get; init; }
    [JsonPropertyName("image_start")] public int ImageStart { get; init; }
    [JsonPropertyName("n_image_tokens")] public int NImageTokens { get; init; }
    [JsonPropertyName("n_region_tokens")] public int NRegionTokens { get; init; }
    [JsonPropertyName("box_x0")] public float? BoxX0 { get; init; }
    [JsonPropertyName("box_y0")] public float? BoxY0 { get; init; }
    [JsonPropertyName("box_x1")] public float? BoxX1 { get; init; }
    [JsonPropertyName("box_y1")] public float? BoxY1 { get; init; }
    [JsonPropertyName("first_token_id")] public int FirstTokenId { get; init; }
    [JsonPropertyName("n_generated_tokens")] public int NGeneratedTokens { get; init; }
}
