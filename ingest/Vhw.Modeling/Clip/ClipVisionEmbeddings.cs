using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>CLIPVisionEmbeddings</c>: patch conv (no bias) + CLS token + learned position embedding.</summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;
    private readonly ClipVisionConfig _config;

    public ClipVisionEmbeddings(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipVisionEmbeddings))
    {
        _config = config;
        class_embedding = new Parameter(zeros(config.HiddenSize, dtype: dtype, device: device));
        patch_embedding = nn.Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize,
            stride: config.PatchSize, bias: false, device: device, dtype: dtype);
        position_embedding = nn.Embedding(config.NumPositions, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>pixel_values (B, C, H, W) with H = W = image_size → embeddings (B, 1 + patches, hidden).</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        if (pixelValues.dim() != 4 || pixelValues.shape[1] != _config.NumChannels
            || pixelValues.shape[2] != _config.ImageSize || pixelValues.shape[3] != _config.ImageSize)
            throw new ArgumentException(
                $"pixel_values has shape [{string.Join(", ", pixelValues.shape)}], expected [B, {_config.NumChannels}, {_config.ImageSize}, {_config.ImageSize}]");
        using var scope = NewDisposeScope();
        long b = pixelValues.shape[0];
        var pixels = pixelValues.to(class_embedding.dtype, class_embedding.device);
        var patches = patch_embedding.forward(pixels);             // (B, hidden, g, g)
        patches = patches.flatten(2).transpose(1, 2);              // (B, g*g, hidden)
        var cls = class_embedding.reshape(1, 1, -1).expand(b, 1, -1); // (B, 1, hidden)
        var embeddings = cat([cls, patches], 1);                   // (B, 1 + g*g, hidden)
        var positionIds = arange(_config.NumPositions, dtype: ScalarType.Int64, device: pixels.device); // (P)
        var positions = position_embedding.forward(positionIds).unsqueeze(0); // (1, P, hidden)
        return (embeddings + positions).MoveToOuterDisposeScope();
    }
}
