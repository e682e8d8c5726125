using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>
/// HF <c>CLIPVisionTransformer</c>. <c>pre_layrnorm</c> keeps HF's typo on purpose: it is the checkpoint key.
/// <c>post_layernorm</c> is loaded (it is in every checkpoint) but never enters LLaVA's hidden_states.
/// </summary>
public sealed class ClipVisionTransformer : nn.Module<Tensor, int, Tensor>
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;

    public ClipVisionTransformer(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipVisionTransformer))
    {
        embeddings = new ClipVisionEmbeddings(config, dtype, device);
        pre_layrnorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        encoder = new ClipEncoder(config, dtype, device);
        post_layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>
    /// HF's hidden_states[hiddenStateIndex] with output_hidden_states=True: index 0 is the embeddings after
    /// pre_layrnorm, index i the output of encoder layer i-1. (B, C, H, W) → (B, 1 + patches, hidden).
    /// </summary>
    public override Tensor forward(Tensor pixelValues, int hiddenStateIndex)
    {
        using var scope = NewDisposeScope();
        var h = pre_layrnorm.forward(embeddings.forward(pixelValues)); // (B, P, hidden)
        return encoder.forward(h, hiddenStateIndex).MoveToOuterDisposeScope();
    }
}
