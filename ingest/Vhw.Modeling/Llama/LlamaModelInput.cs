using Vhw.Modeling.Ablation;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>Input of <see cref="LlamaModel"/>.</summary>
/// <param name="InputsEmbeds">(B, T, C) token (and image) embeddings.</param>
/// <param name="PositionIds">(B, T) long absolute positions.</param>
/// <param name="Cache">KV cache (batch B) or null for a cache-free full-sequence forward.</param>
/// <param name="CaptureLastQuery">Capture each layer's softmax row of the last query (float32).</param>
/// <param name="OutputAttentions">Eager path returning full weights per layer (reference/tests only).</param>
/// <param name="Ablation">Heads to remove in every forward (see <see cref="HeadAblation"/>); null = none.</param>
/// <param name="AttentionMask">(B, Tk) bool, false at left-padding keys, over every key (cached and these); null = no padding.</param>
public sealed record LlamaModelInput(
    Tensor InputsEmbeds,
    Tensor PositionIds,
    LlamaKvCache? Cache = null,
    bool CaptureLastQuery = false,
    bool OutputAttentions = false,
    HeadAblation? Ablation = null,
    Tensor? AttentionMask = null);
