using Vhw.Modeling.Ablation;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>Input of <see cref="LlamaAttention"/> and <see cref="LlamaDecoderLayer"/>.</summary>
/// <param name="HiddenStates">(B, T, C).</param>
/// <param name="Cos">RoPE cos for these positions, (B, T, d).</param>
/// <param name="Sin">RoPE sin for these positions, (B, T, d).</param>
/// <param name="Cache">KV cache to append to and attend over; null = attend over these T tokens only.</param>
/// <param name="LayerIdx">This layer's index (cache slot).</param>
/// <param name="CaptureLastQuery">Return the float32 softmax row of the last query over all keys.</param>
/// <param name="OutputAttentions">Use the eager path and return the full (B, h, T, Tk) weights (reference/tests only).</param>
/// <param name="Ablation">Heads to remove (this layer's share is <c>HeadsOf(LayerIdx)</c>); null = none.</param>
/// <param name="AttentionMask">HF attention_mask of a left-padded batch: (B, Tk) bool over every key (cached and these),
/// false = pad; null = no padding.</param>
public sealed record LlamaLayerInput(
    Tensor HiddenStates,
    Tensor Cos,
    Tensor Sin,
    LlamaKvCache? Cache,
    int LayerIdx,
    bool CaptureLastQuery = false,
    bool OutputAttentions = false,
    HeadAblation? Ablation = null,
    Tensor? AttentionMask = null);
