using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>
/// raw ablation_samples (schema.sql): one row per evaluation × model × benchmark × sample. An evaluation is one
/// (mode, head set) run over a benchmark; labelled sweep points that remove the same heads share it.
/// </summary>
public sealed record AblationSampleRow
{
    [JsonPropertyName("eval_id"), ParquetRequired] public string EvalId { get; init; } = "";
    [JsonPropertyName("mode"), ParquetRequired] public string Mode { get; init; } = "";
    [JsonPropertyName("selection_hash"), ParquetRequired] public string SelectionHash { get; init; } = "";
    [JsonPropertyName("sample_id"), ParquetRequired] public string SampleId { get; init; } = "";
    [JsonPropertyName("prediction"), ParquetRequired] public string Prediction { get; init; } = "";
    [JsonPropertyName("correct")] public bool Correct { get; init; }
    [JsonPropertyName("first_token_id")] public int FirstTokenId { get; init; }
    [JsonPropertyName("n_generated_tokens")] public int NGeneratedTokens { get; init; }
}
