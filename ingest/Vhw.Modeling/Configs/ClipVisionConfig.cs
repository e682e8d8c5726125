using System.Text.Json.Serialization;
using Vhw.Modeling.Functional;

namespace Vhw.Modeling.Configs;

/// <summary>
/// HF <c>CLIPVisionConfig</c> (the <c>vision_config</c> of a llava config.json). Defaults are HF's
/// <c>CLIPVisionConfig</c> defaults, which apply to fields absent from the file.
/// </summary>
public sealed record ClipVisionConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "clip_vision_model";
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    [JsonPropertyName("projection_dim")] public int ProjectionDim { get; init; } = 512;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    [JsonPropertyName("num_channels")] public int NumChannels { get; init; } = 3;
    [JsonPropertyName("image_size")] public int ImageSize { get; init; } = 224;
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 32;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "quick_gelu";
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>Per-head width: hidden_size / num_attention_heads.</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Patches per side: image_size / patch_size.</summary>
    [JsonIgnore] public int GridSize => ImageSize / PatchSize;

    /// <summary>Patch tokens (CLS excluded): (image_size / patch_size)^2.</summary>
    [JsonIgnore] public int NumPatches => GridSize * GridSize;

    /// <summary>Positions of the embedding sequence: patches + CLS.</summary>
    [JsonIgnore] public int NumPositions => NumPatches + 1;

    /// <summary>Checks every field; throws a one-line <see cref="Loading.CheckpointException"/> naming file and field.</summary>
    public void Validate(string file, string prefix = "vision_config.")
    {
        ConfigChecks.OneOf(file, prefix + "model_type", ModelType, "clip_vision_model");
        ConfigChecks.InRange(file, prefix + "hidden_size", HiddenSize, 1, 65536);
        ConfigChecks.InRange(file, prefix + "intermediate_size", IntermediateSize, 1, ConfigChecks.MaxWidth);
        ConfigChecks.InRange(file, prefix + "num_hidden_layers", NumHiddenLayers, 1, ConfigChecks.MaxCount);
        ConfigChecks.InRange(file, prefix + "num_attention_heads", NumAttentionHeads, 1, ConfigChecks.MaxCount);
        ConfigChecks.InRange(file, prefix + "num_channels", NumChannels, 1, 16);
        ConfigChecks.InRange(file, prefix + "image_size", ImageSize, 1, 8192);
        ConfigChecks.InRange(file, prefix + "patch_size", PatchSize, 1, ImageSize);
        ConfigChecks.Positive(file, prefix + "layer_norm_eps", LayerNormEps);
        if (HiddenSize % NumAttentionHeads != 0)
            ConfigChecks.Fail(file, prefix + "hidden_size", $"{HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (ImageSize % PatchSize != 0)
            ConfigChecks.Fail(file, prefix + "image_size", $"{ImageSize} is not divisible by patch_size {PatchSize}");
        if (!Activations.IsSupported(HiddenAct))
            ConfigChecks.OneOf(file, prefix + "hidden_act", HiddenAct, Activations.Supported);
    }

    /// <summary>Parameter count implied by the config (vision tower incl. post_layernorm).</summary>
    public double EstimateParameters()
    {
        double h = HiddenSize, i = IntermediateSize;
        double embeddings = (double)NumChannels * PatchSize * PatchSize * h + h + NumPositions * h;
        double layer = 4 * (h * h + h) + 2 * h * i + i + h + 4 * h;
        return embeddings + NumHiddenLayers * layer + 4 * h;
    }
}
