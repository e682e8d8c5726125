using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>raw ablation_results (schema.sql): one row per labelled sweep point × model × benchmark.</summary>
public sealed record AblationResultRow
{
    [JsonPropertyName("result_id"), ParquetRequired] public string ResultId { get; init; } = "";
    [JsonPropertyName("config_id"), ParquetRequired] public string ConfigId { get; init; } = "";
    [JsonPropertyName("eval_id"), ParquetRequired] public string EvalId { get; init; } = "";
    [JsonPropertyName("baseline_eval_id"), ParquetRequired] public string BaselineEvalId { get; init; } = "";
    [JsonPropertyName("mode"), ParquetRequired] public string Mode { get; init; } = "";
    [JsonPropertyName("spec"), ParquetRequired] public string Spec { get; init; } = "";
    [JsonPropertyName("strategy"), ParquetRequired] public string Strategy { get; init; } = "";
    [JsonPropertyName("stage")] public string? Stage { get; init; }
    [JsonPropertyName("score")] public string? Score { get; init; }
    [JsonPropertyName("score_source")] public string? ScoreSource { get; init; }
    [JsonPropertyName("k")] public int K { get; init; }
    [JsonPropertyName("n_model_heads")] public int NModelHeads { get; init; }
    [JsonPropertyName("seed")] public int? Seed { get; init; }
    [JsonPropertyName("rng_seed")] public long? RngSeed { get; init; }
    [JsonPropertyName("selection_hash"), ParquetRequired] public string SelectionHash { get; init; } = "";
    [JsonPropertyName("heads"), ParquetRequired] public string Heads { get; init; } = "";
    [JsonPropertyName("n")] public int N { get; init; }
    [JsonPropertyName("n_correct")] public int NCorrect { get; init; }
    [JsonPropertyName("accuracy")] public double Accuracy { get; init; }
    [JsonPropertyName("ci_low")] public double CiLow { get; init; }
    [JsonPropertyName("ci_high")] public double CiHigh { get; init; }
    [JsonPropertyName("baseline_accuracy")] public double BaselineAccuracy { get; init; }
    [JsonPropertyName("delta")] public double Delta { get; init; }
    [JsonPropertyName("n_lost")] public int NLost { get; init; }
    [JsonPropertyName("n_gained")] public int NGained { get; init; }
    [JsonPropertyName("mcnemar_p")] public double McnemarP { get; init; }
    [JsonPropertyName("n_changed")] public int NChanged { get; init; }
    [JsonPropertyName("n_rejects")] public int NRejects { get; init; }
    [JsonPropertyName("config_json"), ParquetRequired] public string ConfigJson { get; init; } = "";
    [JsonPropertyName("vhw_version"), ParquetRequired] public string VhwVersion { get; init; } = "";
    [JsonPropertyName("finished_at"), ParquetTimestamp(ParquetTimestampResolution.Microseconds)] public DateTime FinishedAt { get; init; }
}
