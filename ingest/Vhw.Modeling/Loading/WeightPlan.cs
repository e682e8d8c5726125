namespace Vhw.Modeling.Loading;

/// <summary>Where each model parameter comes from: model name → source tensor (or a block of its rows).</summary>
/// <param name="Sources">Parameter name → source.</param>
/// <param name="Layout">Layout detected from the keys (Original if any original-LLaVA key, else Legacy if any legacy key, else New).</param>
/// <param name="TiedLmHead">lm_head.weight is absent and must be tied to embed_tokens.</param>
public sealed record WeightPlan(IReadOnlyDictionary<string, WeightSource> Sources, CheckpointLayout Layout, bool TiedLmHead);

/// <summary>One parameter's source: tensor <paramref name="Key"/> of <paramref name="File"/>, whole or rows [RowStart, RowStart + Rows).</summary>
/// <param name="File">The opened safetensors file.</param>
/// <param name="Key">The tensor's key as written in the file.</param>
/// <param name="RowStart">First row (dim 0) of a fused tensor's block; 0 for a whole tensor.</param>
/// <param name="Rows">Rows of the block, or null for the whole tensor.</param>
public sealed record WeightSource(SafeTensorsFile File, string Key, long RowStart = 0, long? Rows = null);
