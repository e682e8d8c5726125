using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlavaMultiModalProjector</c>: linear_1 → act (projector_hidden_act) → linear_2.</summary>
public sealed class LlavaMultiModalProjector : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear_1;
    private readonly Linear linear_2;
    private readonly string _act;

    public LlavaMultiModalProjector(LlavaConfig config, ScalarType dtype, Device device) : base(nameof(LlavaMultiModalProjector))
    {
        _act = config.ProjectorHiddenAct;
        int vision = config.VisionConfig.HiddenSize, text = config.TextConfig.HiddenSize;
        bool bias = config.MultimodalProjectorBias;
        linear_1 = nn.Linear(vision, text, hasBias: bias, device: device, dtype: dtype);
        linear_2 = nn.Linear(text, text, hasBias: bias, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>image features (B, N, C_vision) → (B, N, C_text).</summary>
    public override Tensor forward(Tensor imageFeatures)
    {
        using var scope = NewDisposeScope();
        var h = Activations.Apply(_act, linear_1.forward(imageFeatures)); // (B, N, C_text)
        return linear_2.forward(h).MoveToOuterDisposeScope();             // (B, N, C_text)
    }
}
