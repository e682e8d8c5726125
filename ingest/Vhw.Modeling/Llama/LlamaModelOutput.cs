using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>Output of <see cref="LlamaModel"/>.</summary>
/// <param name="LastHiddenState">(B, T, C) after the final norm.</param>
/// <param name="CapturedRows">float32 (L, B, h, Tk) rows of the last query; null unless requested.</param>
/// <param name="Attentions">float32 (L, B, h, T, Tk); null unless OutputAttentions.</param>
public sealed record LlamaModelOutput(Tensor LastHiddenState, Tensor? CapturedRows, Tensor? Attentions);
