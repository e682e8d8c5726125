namespace Vhw.Modeling.Loading;

/// <summary>Where each model parameter comes from: model name → (file, key as written in that file).</summary>
/// <param name="Sources">Parameter name → source.</param>
/// <param name="Layout">Layout detected from the keys.</param>
/// <param name="TiedLmHead">lm_head.weight is absent and must be tied to embed_tokens.</param>
public sealed record WeightPlan(IReadOnlyDictionary<string, (SafeTensorsFile File, string Key)> Sources, CheckpointLayout Layout, bool TiedLmHead);
