using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

/// <summary>Output of the full-sequence forward.</summary>
/// <param name="Logits">(1, T, vocab) in the model dtype.</param>
/// <param name="Attentions">float32 (L, 1, h, T, T) when requested, else null.</param>
/// <param name="ExpandedIds">The ids after image expansion (length T).</param>
/// <param name="ImageStart">Index of the first image token.</param>
/// <param name="ImageTokenCount">Number of image tokens.</param>
public sealed record LlavaForwardOutput(Tensor Logits, Tensor? Attentions, long[] ExpandedIds, int ImageStart, int ImageTokenCount);
