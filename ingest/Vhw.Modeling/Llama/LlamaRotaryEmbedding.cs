using TorchSharp;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>
/// HF <c>LlamaRotaryEmbedding</c> (default rope type). inv_freq is HF's non-persistent buffer; it is kept as
/// host floats so it never appears among the parameters or buffers, and is rebuilt on the positions' device.
/// </summary>
public sealed class LlamaRotaryEmbedding : nn.Module<Tensor, ScalarType, (Tensor Cos, Tensor Sin)>
{
    private readonly float[] _invFreq;

    public LlamaRotaryEmbedding(LlamaConfig config) : base(nameof(LlamaRotaryEmbedding))
    {
        _invFreq = Rotary.InverseFrequencies(config.HeadDim, config.RopeTheta);
        RegisterComponents();
    }

    /// <summary>position_ids (B, T) long → cos, sin (B, T, d) in <paramref name="dtype"/>.</summary>
    public override (Tensor Cos, Tensor Sin) forward(Tensor positionIds, ScalarType dtype) =>
        Rotary.CosSin(_invFreq, positionIds, dtype);
}
