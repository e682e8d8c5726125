namespace Vhw.Modeling.Loading;

/// <summary>
/// THE key-map table between checkpoint layouts (HF <c>_checkpoint_conversion_mapping</c> for llava, and the original
/// LLaVA repository's names as HF's convert_llava_weights_to_hf maps them), plus the one table of fused weights
/// (Phi-3's qkv_proj / gate_up_proj) that the loader splits into the model's separate parameters. Module parameter
/// names are the new layout; other layouts are rewritten by prefix. Nothing else renames keys.
/// </summary>
public static class CheckpointKeyMap
{
    /// <summary>(layout, its prefix, new prefix) — first match wins; no prefix of one layout starts a new-layout key.</summary>
    private static readonly (CheckpointLayout Layout, string Prefix, string New)[] Prefixes =
    [
        (CheckpointLayout.Legacy, "language_model.model.", "model.language_model."),
        (CheckpointLayout.Legacy, "language_model.lm_head.", "lm_head."),
        (CheckpointLayout.Legacy, "vision_tower.", "model.vision_tower."),
        (CheckpointLayout.Legacy, "multi_modal_projector.", "model.multi_modal_projector."),
        (CheckpointLayout.Original, "model.vision_tower.vision_tower.", "model.vision_tower."),
        (CheckpointLayout.Original, "model.mm_projector.0.", "model.multi_modal_projector.linear_1."),
        (CheckpointLayout.Original, "model.mm_projector.2.", "model.multi_modal_projector.linear_2."),
        (CheckpointLayout.Original, "model.embed_tokens.", "model.language_model.embed_tokens."),
        (CheckpointLayout.Original, "model.layers.", "model.language_model.layers."),
        (CheckpointLayout.Original, "model.norm.", "model.language_model.norm."),
    ];

    /// <summary>
    /// Fused weight suffix → the model parameters it holds, stacked along dim 0 in this order (HF Phi3Attention.qkv_proj:
    /// q, k, v rows; Phi3MLP.gate_up_proj: gate rows then up rows — <c>gate, up = gate_up.chunk(2, dim=-1)</c>).
    /// </summary>
    private static readonly (string Fused, string[] Parts)[] FusedWeights =
    [
        (".self_attn.qkv_proj.weight", [".self_attn.q_proj.weight", ".self_attn.k_proj.weight", ".self_attn.v_proj.weight"]),
        (".mlp.gate_up_proj.weight", [".mlp.gate_proj.weight", ".mlp.up_proj.weight"]),
    ];

    /// <summary>Non-persistent HF buffers that old checkpoints sometimes carry; recomputed here, so skipped.</summary>
    private static readonly string[] IgnoredSuffixes = [".rotary_emb.inv_freq", ".embeddings.position_ids"];

    /// <summary>Maps a key of any layout to the model's parameter name (the new layout); fused keys keep their fused suffix.</summary>
    public static string ToModelName(string key)
    {
        foreach (var (_, prefix, @new) in Prefixes)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                return @new + key[prefix.Length..];
        return key;
    }

    /// <summary>Maps a model parameter name to the key of <paramref name="layout"/>.</summary>
    public static string ToCheckpointKey(string modelName, CheckpointLayout layout)
    {
        if (layout == CheckpointLayout.New)
            return modelName;
        foreach (var (l, prefix, @new) in Prefixes)
            if (l == layout && modelName.StartsWith(@new, StringComparison.Ordinal))
                return prefix + modelName[@new.Length..];
        return modelName;
    }

    /// <summary>The layout a key belongs to: Legacy or Original when one of their prefixes matches, else New.</summary>
    public static CheckpointLayout LayoutOf(string key)
    {
        foreach (var (layout, prefix, _) in Prefixes)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                return layout;
        return CheckpointLayout.New;
    }

    /// <summary>True for a key in the legacy (llava-hf) layout.</summary>
    public static bool IsLegacyKey(string key) => LayoutOf(key) == CheckpointLayout.Legacy;

    /// <summary>
    /// For a model name ending in a fused suffix (<c>…self_attn.qkv_proj.weight</c>, <c>…mlp.gate_up_proj.weight</c>), the
    /// parameter names it splits into, in row order; null for any other name.
    /// </summary>
    public static string[]? FusedParts(string modelName)
    {
        foreach (var (fused, parts) in FusedWeights)
            if (modelName.EndsWith(fused, StringComparison.Ordinal))
            {
                string stem = modelName[..^fused.Length];
                return parts.Select(p => stem + p).ToArray();
            }
        return null;
    }

    /// <summary>True for buffers the loader skips (rotary inv_freq, CLIP position_ids).</summary>
    public static bool IsIgnored(string key) =>
        IgnoredSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal));
}
