using TorchSharp;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>CLIPVisionModel</c>: the wrapper that puts <c>vision_model.</c> into the checkpoint keys.</summary>
public sealed class ClipVisionModel : nn.Module<Tensor, int, Tensor>
{
    private readonly ClipVisionTransformer vision_model;

    public ClipVisionModel(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipVisionModel))
    {
        vision_model = new ClipVisionTransformer(config, dtype, device);
        RegisterComponents();
    }

    /// <summary>See <see cref="ClipVisionTransformer.forward"/>: hidden_states[hiddenStateIndex], (B, 1 + patches, hidden).</summary>
    public override Tensor forward(Tensor pixelValues, int hiddenStateIndex) => vision_model.forward(pixelValues, hiddenStateIndex);
}
