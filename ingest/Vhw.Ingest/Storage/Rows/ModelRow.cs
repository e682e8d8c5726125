using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Vhw.Ingest.Storage.Rows;

/// <summary>raw models (schema.sql): one row per model (partition key model).</summary>
public sealed record ModelRow
{
    /// <summary>Provenance file a trained model may carry in its folder (the zoo writes it); stored verbatim in training_json.</summary>
    public const string TrainingFileName = "training.json";

    [JsonPropertyName("family"), ParquetRequired] public string Family { get; init; } = "";
    [JsonPropertyName("scale"), ParquetRequired] public string Scale { get; init; } = "";
    [JsonPropertyName("source_dir"), ParquetRequired] public string SourceDir { get; init; } = "";
    [JsonPropertyName("weights_sha256"), ParquetRequired] public string WeightsSha256 { get; init; } = "";
    [JsonPropertyName("dtype"), ParquetRequired] public string Dtype { get; init; } = "";
    [JsonPropertyName("n_layers")] public int NLayers { get; init; }
    [JsonPropertyName("n_heads")] public int NHeads { get; init; }
    [JsonPropertyName("n_kv_heads")] public int NKvHeads { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("head_dim")] public int HeadDim { get; init; }
    [JsonPropertyName("vision_layers")] public int VisionLayers { get; init; }
    [JsonPropertyName("n_image_tokens")] public int NImageTokens { get; init; }
    [JsonPropertyName("n_params")] public long NParams { get; init; }
    /// <summary>The raw content of the model folder's training.json; null when the folder has none.</summary>
    [JsonPropertyName("training_json")] public string? TrainingJson { get; init; }
}
