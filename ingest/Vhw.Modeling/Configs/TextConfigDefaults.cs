using System.Text.Json.Nodes;

namespace Vhw.Modeling.Configs;

/// <summary>
/// HF saves only the fields that differ from the text model's own config class defaults, and those defaults differ by
/// model_type (MistralConfig: sliding_window 4096, 8 KV heads, intermediate 14336; Phi3Config: rms_norm_eps 1e-5, vocab
/// 32064, ...). <see cref="LlamaConfig"/> carries LlamaConfig's defaults, so before deserialising, absent fields of a
/// mistral or phi3 text_config are filled here with that class's defaults. Also maps transformers v5's
/// <c>rope_parameters</c> onto rope_theta / rope_scaling.
/// </summary>
public static class TextConfigDefaults
{
    /// <summary>transformers MistralConfig.__init__ defaults.</summary>
    private static readonly (string Field, JsonNode? Value)[] Mistral =
    [
        ("vocab_size", 32000), ("hidden_size", 4096), ("intermediate_size", 14336), ("num_hidden_layers", 32),
        ("num_attention_heads", 32), ("num_key_value_heads", 8), ("hidden_act", "silu"), ("max_position_embeddings", 131072),
        ("rms_norm_eps", 1e-6), ("rope_theta", 10000.0), ("bos_token_id", 1), ("eos_token_id", 2),
        ("tie_word_embeddings", false), ("sliding_window", 4096),
    ];

    /// <summary>transformers Phi3Config.__init__ defaults (num_key_value_heads None = num_attention_heads).</summary>
    private static readonly (string Field, JsonNode? Value)[] Phi3 =
    [
        ("vocab_size", 32064), ("hidden_size", 3072), ("intermediate_size", 8192), ("num_hidden_layers", 32),
        ("num_attention_heads", 32), ("hidden_act", "silu"), ("max_position_embeddings", 4096), ("rms_norm_eps", 1e-5),
        ("rope_theta", 10000.0), ("bos_token_id", 1), ("eos_token_id", 32000), ("pad_token_id", 32000),
        ("tie_word_embeddings", false), ("sliding_window", null),
    ];

    /// <summary>Fills absent fields of <paramref name="textConfig"/> in place (explicit values, null included, win).</summary>
    public static void Apply(JsonObject textConfig)
    {
        ArgumentNullException.ThrowIfNull(textConfig);
        if (textConfig["rope_parameters"] is JsonObject rope)
        {
            if (!textConfig.ContainsKey("rope_theta") && rope["rope_theta"] is { } theta)
                textConfig["rope_theta"] = theta.DeepClone();
            string type = Text(rope["rope_type"]) ?? Text(rope["type"]) ?? "default";
            if (type != "default" && textConfig["rope_scaling"] is null)
                textConfig["rope_scaling"] = rope.DeepClone();
        }
        var defaults = Text(textConfig["model_type"]) switch
        {
            "mistral" => Mistral,
            "phi3" => Phi3,
            _ => [],
        };
        foreach (var (field, value) in defaults)
            if (!textConfig.ContainsKey(field))
                textConfig[field] = value?.DeepClone();
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
