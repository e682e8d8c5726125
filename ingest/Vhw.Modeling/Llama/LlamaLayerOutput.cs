using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>Output of <see cref="LlamaAttention"/> and <see cref="LlamaDecoderLayer"/>.</summary>
/// <param name="HiddenStates">(B, T, C).</param>
/// <param name="CapturedRow">float32 softmax row of the last query, (B, h, Tk); null unless requested.</param>
/// <param name="Attentions">float32 weights (B, h, T, Tk); null unless OutputAttentions.</param>
public sealed record LlamaLayerOutput(Tensor HiddenStates, Tensor? CapturedRow, Tensor? Attentions);
