using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlamaRMSNorm</c>: weight * x / sqrt(mean(x²) + eps), computed in float32.</summary>
public sealed class LlamaRmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _varianceEpsilon;

    public LlamaRmsNorm(long hiddenSize, double eps, ScalarType dtype, Device device) : base(nameof(LlamaRmsNorm))
    {
        weight = new Parameter(ones(hiddenSize, dtype: dtype, device: device));
        _varianceEpsilon = eps;
        RegisterComponents();
    }

    /// <summary>(..., C) → (..., C) in the input dtype.</summary>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var h = hiddenStates.to(ScalarType.Float32);
        var variance = h.pow(2).mean([-1L], keepdim: true); // (..., 1)
        h = h * rsqrt(variance + _varianceEpsilon);
        return (weight * h.to(hiddenStates.dtype)).MoveToOuterDisposeScope();
    }
}
