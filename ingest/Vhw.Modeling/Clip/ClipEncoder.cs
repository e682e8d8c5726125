using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>CLIPEncoder</c>: the stack of encoder layers.</summary>
public sealed class ClipEncoder : nn.Module<Tensor, int, Tensor>
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++)
            layers.Add(new ClipEncoderLayer(config, dtype, device));
        RegisterComponents();
    }

    /// <summary>
    /// Runs the first <paramref name="hiddenStateIndex"/> layers and returns HF's hidden_states[hiddenStateIndex]
    /// (index 0 = the input embeddings). (B, T, C) → (B, T, C).
    /// </summary>
    public override Tensor forward(Tensor inputsEmbeds, int hiddenStateIndex)
    {
        if (hiddenStateIndex < 0 || hiddenStateIndex > layers.Count)
            throw new ArgumentOutOfRangeException(nameof(hiddenStateIndex), $"must be in [0, {layers.Count}]");
        using var scope = NewDisposeScope();
        var h = inputsEmbeds.alias();
        for (int i = 0; i < hiddenStateIndex; i++)
            h = layers[i].forward(h);
        return h.MoveToOuterDisposeScope();
    }
}
