using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>CLIPMLP</c>: fc1 → hidden_act (quick_gelu) → fc2.</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly string _act;

    public ClipMlp(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipMlp))
    {
        _act = config.HiddenAct;
        fc1 = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: true, device: device, dtype: dtype);
        fc2 = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var h = Activations.Apply(_act, fc1.forward(hiddenStates)); // (B, T, I)
        return fc2.forward(h).MoveToOuterDisposeScope();            // (B, T, C)
    }
}
