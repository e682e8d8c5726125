namespace Vhw.Modeling.Loading;

/// <summary>
/// THE key-map table between checkpoint layouts (HF <c>_checkpoint_conversion_mapping</c> for llava). Module
/// parameter names are the new layout; legacy keys are rewritten by prefix. Nothing else renames keys.
/// </summary>
public static class CheckpointKeyMap
{
    /// <summary>(legacy prefix, new prefix), first match wins.</summary>
    private static readonly (string Legacy, string New)[] Prefixes =
    [
        ("language_model.model.", "model.language_model."),
        ("language_model.lm_head.", "lm_head."),
        ("vision_tower.", "model.vision_tower."),
        ("multi_modal_projector.", "model.multi_modal_projector."),
    ];

    /// <summary>Non-persistent HF buffers that old checkpoints sometimes carry; recomputed here, so skipped.</summary>
    private static readonly string[] IgnoredSuffixes = [".rotary_emb.inv_freq", ".embeddings.position_ids"];

    /// <summary>Maps a key of either layout to the model's parameter name (the new layout).</summary>
    public static string ToModelName(string key)
    {
        foreach (var (legacy, @new) in Prefixes)
            if (key.StartsWith(legacy, StringComparison.Ordinal))
                return @new + key[legacy.Length..];
        return key;
    }

    /// <summary>Maps a model parameter name to the key of <paramref name="layout"/>.</summary>
    public static string ToCheckpointKey(string modelName, CheckpointLayout layout)
    {
        if (layout == CheckpointLayout.New)
            return modelName;
        foreach (var (legacy, @new) in Prefixes)
            if (modelName.StartsWith(@new, StringComparison.Ordinal))
                return legacy + modelName[@new.Length..];
        return modelName;
    }

    /// <summary>True for a key in the legacy layout.</summary>
    public static bool IsLegacyKey(string key) =>
        Prefixes.Any(p => key.StartsWith(p.Legacy, StringComparison.Ordinal));

    /// <summary>True for buffers the loader skips (rotary inv_freq, CLIP position_ids).</summary>
    public static bool IsIgnored(string key) =>
        IgnoredSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal));
}
