using Vhw.Modeling.Ablation;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

/// <summary>Input of the cache-free full-sequence <see cref="LlavaForConditionalGeneration"/> forward (batch 1).</summary>
/// <param name="InputIds">Prompt ids with one image placeholder (or the placeholder already expanded); may continue with answer tokens.</param>
/// <param name="PixelValues">(1, C, H, W).</param>
/// <param name="OutputAttentions">Eager attention with full per-layer weights (reference path; memory O(L·h·T²)).</param>
/// <param name="Ablation">Decoder heads to remove (see <see cref="HeadAblation"/>); null = none.</param>
public sealed record LlavaForwardInput(long[] InputIds, Tensor PixelValues, bool OutputAttentions = false, HeadAblation? Ablation = null);
