using System.Text.Json.Serialization;
using Vhw.Modeling.Functional;

namespace Vhw.Modeling.Configs;

/// <summary>
/// HF <c>LlavaConfig</c>: a config made of configs (<c>text_config</c>, <c>vision_config</c>) plus the LLaVA glue.
/// Defaults are HF's. Read and written by <see cref="LlavaConfigFile"/>.
/// </summary>
public sealed record LlavaConfig
{
    [JsonPropertyName("architectures")] public string[]? Architectures { get; init; }
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llava";
    [JsonPropertyName("image_token_index")] public int ImageTokenIndex { get; init; } = 32000;
    [JsonPropertyName("projector_hidden_act")] public string ProjectorHiddenAct { get; init; } = "gelu";
    [JsonPropertyName("multimodal_projector_bias")] public bool MultimodalProjectorBias { get; init; } = true;
    /// <summary>Index into the vision tower's hidden_states (length num_hidden_layers + 1; 0 = embeddings after pre_layrnorm).</summary>
    [JsonPropertyName("vision_feature_layer")] public int VisionFeatureLayer { get; init; } = -2;
    /// <summary>"default" drops the CLS token, "full" keeps it.</summary>
    [JsonPropertyName("vision_feature_select_strategy")] public string VisionFeatureSelectStrategy { get; init; } = "default";
    /// <summary>
    /// Image tokens per image (what the placeholder expands to). When absent from the file, derived from the vision
    /// tower ((image_size / patch_size)², +1 for "full"); when present, it must agree with the tower.
    /// </summary>
    [JsonPropertyName("image_seq_length")]
    public int ImageSeqLength { get => _imageSeqLength ?? ImageTokenCount; init => _imageSeqLength = value; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; init; }
    [JsonPropertyName("text_config")] public LlamaConfig TextConfig { get; init; } = new();
    [JsonPropertyName("vision_config")] public ClipVisionConfig VisionConfig { get; init; } = new();

    private readonly int? _imageSeqLength;

    /// <summary>Image tokens the vision tower produces per image.</summary>
    [JsonIgnore]
    public int ImageTokenCount => VisionFeatureSelectStrategy == "full" ? VisionConfig.NumPositions : VisionConfig.NumPatches;

    /// <summary><see cref="VisionFeatureLayer"/> as a non-negative index into hidden_states.</summary>
    [JsonIgnore]
    public int VisionHiddenStateIndex =>
        VisionFeatureLayer < 0 ? VisionConfig.NumHiddenLayers + 1 + VisionFeatureLayer : VisionFeatureLayer;

    /// <summary>lm_head shares embed_tokens' weight (text_config or top-level tie_word_embeddings).</summary>
    [JsonIgnore] public bool TiesWordEmbeddings => TieWordEmbeddings || TextConfig.TieWordEmbeddings;

    /// <summary>
    /// Decoder family for prompt templates (vicuna, llama3, mistral): from text_config._name_or_path when it names one,
    /// else mistral for model_type "mistral", phi3 for model_type "phi3", llama3 for a Llama-3-size vocabulary (≥ 128000), else vicuna. A heuristic.
    /// </summary>
    [JsonIgnore]
    public string Family
    {
        get
        {
            string name = (TextConfig.NameOrPath ?? "").ToLowerInvariant();
            if (name.Contains("vicuna")) return "vicuna";
            if (name.Contains("llama-3") || name.Contains("llama3")) return "llama3";
            if (name.Contains("mistral") || TextConfig.ModelType == "mistral") return "mistral";
            if (name.Contains("phi-3") || name.Contains("phi3") || TextConfig.ModelType == "phi3") return "phi3";
            return TextConfig.VocabSize >= 128000 ? "llama3" : "vicuna";
        }
    }

    /// <summary>Largest model this runtime agrees to allocate (parameters), refusing absurd configs up front.</summary>
    public const double MaxParameters = 1.2e11;

    /// <summary>Checks every field; throws a one-line <see cref="Loading.CheckpointException"/> naming file and field.</summary>
    public void Validate(string file)
    {
        ConfigChecks.OneOf(file, "model_type", ModelType, "llava");
        TextConfig.Validate(file);
        VisionConfig.Validate(file);
        ConfigChecks.InRange(file, "image_token_index", ImageTokenIndex, 0, int.MaxValue);
        if (!Activations.IsSupported(ProjectorHiddenAct))
            ConfigChecks.OneOf(file, "projector_hidden_act", ProjectorHiddenAct, Activations.Supported);
        int layers = VisionConfig.NumHiddenLayers;
        ConfigChecks.InRange(file, "vision_feature_layer", VisionFeatureLayer, -(layers + 1), layers);
        ConfigChecks.OneOf(file, "vision_feature_select_strategy", VisionFeatureSelectStrategy, "default", "full");
        if (_imageSeqLength is { } n && n != ImageTokenCount)
            ConfigChecks.Fail(file, "image_seq_length", $"{n} does not match the vision tower's {ImageTokenCount} image tokens");
        double parameters = EstimateParameters();
        if (parameters > MaxParameters)
            ConfigChecks.Fail(file, "text_config/vision_config", $"sizes imply {parameters:E2} parameters, above the {MaxParameters:E1} limit; refusing to allocate");
    }

    /// <summary>Parameter count implied by the config (vision tower + projector + language model + lm_head).</summary>
    public double EstimateParameters()
    {
        double v = VisionConfig.HiddenSize, h = TextConfig.HiddenSize;
        double projector = v * h + h * h + (MultimodalProjectorBias ? 2 * h : 0);
        var text = TextConfig with { TieWordEmbeddings = TiesWordEmbeddings };
        return VisionConfig.EstimateParameters() + projector + text.EstimateParameters();
    }
}
