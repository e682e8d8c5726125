using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlamaMLP</c> (SwiGLU): down_proj(act(gate_proj(x)) * up_proj(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;
    private readonly string _act;

    public LlamaMlp(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaMlp))
    {
        _act = config.HiddenAct;
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Activations.Apply(_act, gate_proj.forward(x)) * up_proj.forward(x); // (B, T, I)
        return down_proj.forward(h).MoveToOuterDisposeScope();                      // (B, T, C)
    }
}
