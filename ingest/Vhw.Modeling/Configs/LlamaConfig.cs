using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vhw.Modeling.Configs;

/// <summary>
/// HF <c>LlamaConfig</c> (the <c>text_config</c> of a llava config.json). Defaults are HF's <c>LlamaConfig</c>
/// defaults, which apply to fields absent from the file (llava-hf configs list only a few fields); for model_type
/// "mistral" and "phi3", <see cref="TextConfigDefaults"/> first fills absent fields with HF's MistralConfig / Phi3Config
/// defaults. Mistral and Phi-3 are the Llama architecture plus sliding-window attention (<see cref="EffectiveSlidingWindow"/>);
/// Phi-3's fused qkv_proj / gate_up_proj weights are split by the loader (<see cref="Loading.CheckpointKeyMap"/>).
/// </summary>
public sealed record LlamaConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 32000;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 11008;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 32;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 32;
    /// <summary>GQA key/value heads; when absent from the file, num_attention_heads (HF default).</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int NumKeyValueHeads { get => _numKeyValueHeads ?? NumAttentionHeads; init => _numKeyValueHeads = value; }
    /// <summary>Per-head width; when absent from the file, hidden_size / num_attention_heads.</summary>
    [JsonIgnore]
    public int HeadDim { get => _headDim ?? HiddenSize / Math.Max(1, NumAttentionHeads); init => _headDim = value; }
    /// <summary>head_dim as in the file (written only when explicit).</summary>
    [JsonInclude, JsonPropertyName("head_dim"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? HeadDimSetting { get => _headDim; init => _headDim = value; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 2048;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    /// <summary>Only null (plain RoPE) is supported; any scaling is refused by <see cref="Validate"/>.</summary>
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    /// <summary>Keys visible to a query: the last <c>sliding_window</c> positions (itself included); null = all. Used by mistral/phi3 only.</summary>
    [JsonPropertyName("sliding_window")] public int? SlidingWindow { get; init; }
    /// <summary>Phi-3-family fraction of head_dim that is rotated; only 1.0 (or absent) is supported.</summary>
    [JsonPropertyName("partial_rotary_factor")] public double? PartialRotaryFactor { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; } = 1;
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; } = 2;
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    /// <summary>HF's record of the source model (e.g. "lmsys/vicuna-7b-v1.5"); informational, used by <see cref="LlavaConfig.Family"/>.</summary>
    [JsonPropertyName("_name_or_path")] public string? NameOrPath { get; init; }

    /// <summary>
    /// The sliding window the attention applies: <see cref="SlidingWindow"/> for mistral and phi3 (HF MistralModel /
    /// Phi3Model build a sliding-window causal mask whenever config.sliding_window is set), null for llama.
    /// </summary>
    [JsonIgnore]
    public int? EffectiveSlidingWindow => ModelType is "mistral" or "phi3" ? SlidingWindow : null;

    private readonly int? _numKeyValueHeads;
    private readonly int? _headDim;

    /// <summary>Checks every field; throws a one-line <see cref="Loading.CheckpointException"/> naming file and field.</summary>
    public void Validate(string file, string prefix = "text_config.")
    {
        ConfigChecks.OneOf(file, prefix + "model_type", ModelType, "llama", "mistral", "phi3");
        ConfigChecks.InRange(file, prefix + "vocab_size", VocabSize, 1, ConfigChecks.MaxWidth);
        ConfigChecks.InRange(file, prefix + "hidden_size", HiddenSize, 1, 65536);
        ConfigChecks.InRange(file, prefix + "intermediate_size", IntermediateSize, 1, ConfigChecks.MaxWidth);
        ConfigChecks.InRange(file, prefix + "num_hidden_layers", NumHiddenLayers, 1, ConfigChecks.MaxCount);
        ConfigChecks.InRange(file, prefix + "num_attention_heads", NumAttentionHeads, 1, ConfigChecks.MaxCount);
        ConfigChecks.InRange(file, prefix + "num_key_value_heads", NumKeyValueHeads, 1, NumAttentionHeads);
        ConfigChecks.InRange(file, prefix + "max_position_embeddings", MaxPositionEmbeddings, 1, 1 << 24);
        ConfigChecks.Positive(file, prefix + "rms_norm_eps", RmsNormEps);
        ConfigChecks.Positive(file, prefix + "rope_theta", RopeTheta);
        ConfigChecks.OneOf(file, prefix + "hidden_act", HiddenAct, "silu");
        if (_headDim is null && HiddenSize % NumAttentionHeads != 0)
            ConfigChecks.Fail(file, prefix + "hidden_size", $"{HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        ConfigChecks.InRange(file, prefix + "head_dim", HeadDim, 2, 1024);
        if (HeadDim % 2 != 0)
            ConfigChecks.Fail(file, prefix + "head_dim", $"{HeadDim} must be even for rotary embeddings");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            ConfigChecks.Fail(file, prefix + "num_key_value_heads", $"num_attention_heads {NumAttentionHeads} is not a multiple of {NumKeyValueHeads}");
        if (RopeScaling is { ValueKind: not JsonValueKind.Null })
            ConfigChecks.Fail(file, prefix + "rope_scaling", "RoPE scaling is not implemented (only plain RoPE with rope_theta)");
        if (SlidingWindow is { } w && w < 1)
            ConfigChecks.Fail(file, prefix + "sliding_window", $"{w} must be at least 1");
        if (EffectiveSlidingWindow is null && SlidingWindow is { } ignored && ignored < MaxPositionEmbeddings)
            ConfigChecks.Fail(file, prefix + "sliding_window",
                $"{ignored} < max_position_embeddings, but model_type '{ModelType}' has no sliding-window attention (HF ignores the field); use model_type 'mistral'");
        if (PartialRotaryFactor is { } f && f != 1.0)
            ConfigChecks.Fail(file, prefix + "partial_rotary_factor", $"{f}: partial rotary embeddings are not implemented");
    }

    /// <summary>Parameter count implied by the config (embeddings, layers, final norm, lm_head unless tied).</summary>
    public double EstimateParameters()
    {
        double h = HiddenSize, i = IntermediateSize, q = (double)NumAttentionHeads * HeadDim, kv = (double)NumKeyValueHeads * HeadDim;
        double layer = h * q * 2 + h * kv * 2 + 3 * h * i + 2 * h;
        return (double)VocabSize * h * (TieWordEmbeddings ? 1 : 2) + NumHiddenLayers * layer + h;
    }
}
