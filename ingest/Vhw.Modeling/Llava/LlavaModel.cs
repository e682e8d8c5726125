using TorchSharp;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Llama;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlavaModel</c>: vision tower, projector and language model (no lm_head).</summary>
public sealed class LlavaModel : nn.Module<LlamaModelInput, LlamaModelOutput>
{
    private readonly ClipVisionModel vision_tower;
    private readonly LlavaMultiModalProjector multi_modal_projector;
    private readonly LlamaModel language_model;
    private readonly LlavaConfig _config;

    public LlavaModel(LlavaConfig config, ScalarType dtype, Device device) : base(nameof(LlavaModel))
    {
        _config = config;
        vision_tower = new ClipVisionModel(config.VisionConfig, dtype, device);
        multi_modal_projector = new LlavaMultiModalProjector(config, dtype, device);
        language_model = new LlamaModel(config.TextConfig, dtype, device);
        RegisterComponents();
    }

    public LlamaModel LanguageModel => language_model;

    /// <summary>
    /// HF <c>get_image_features</c>: hidden_states[vision_feature_layer] of the vision tower, CLS dropped for
    /// strategy "default", then projected. pixel_values (B, C, H, W) → (B, N, C_text).
    /// </summary>
    public Tensor GetImageFeatures(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        return Project(GetVisionFeatures(pixelValues)).MoveToOuterDisposeScope();  // (B, N, C_text)
    }

    /// <summary>The multi-modal projector: vision features (B, N, C_vision) → (B, N, C_text).</summary>
    public Tensor Project(Tensor visionFeatures) => multi_modal_projector.forward(visionFeatures);

    /// <summary>What the projector receives: hidden_states[vision_feature_layer], CLS dropped for strategy "default". (B, C, H, W) → (B, N, C_vision).</summary>
    public Tensor GetVisionFeatures(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var hidden = vision_tower.forward(pixelValues, _config.VisionHiddenStateIndex); // (B, 1 + patches, C_vision)
        if (_config.VisionFeatureSelectStrategy == "default")
            hidden = hidden.narrow(1, 1, hidden.shape[1] - 1);                          // (B, patches, C_vision)
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Embeds an expanded prompt (batch 1) and writes the image features into the image positions
    /// [imageStart, imageStart + N). ids (T) → (1, T, C_text).
    /// </summary>
    public Tensor BuildInputsEmbeds(long[] expandedIds, int imageStart, Tensor imageFeatures)
    {
        long n = imageFeatures.shape[1];
        if (imageFeatures.shape[0] != 1 || imageStart < 0 || imageStart + n > expandedIds.Length)
            throw new ArgumentException($"image features [{string.Join(", ", imageFeatures.shape)}] do not fit the prompt at {imageStart}");
        using var scope = NewDisposeScope();
        var device = language_model.EmbeddingWeight.device;
        var parts = new List<Tensor>();
        if (imageStart > 0)
            parts.Add(Embed(expandedIds[..imageStart], device));                     // (1, start, C)
        parts.Add(imageFeatures.to(language_model.EmbeddingWeight.dtype, device));   // (1, N, C)
        if (imageStart + n < expandedIds.Length)
            parts.Add(Embed(expandedIds[(imageStart + (int)n)..], device));         // (1, rest, C)
        return cat(parts, 1).MoveToOuterDisposeScope();                             // (1, T, C)
    }

    /// <summary>Token embeddings for ids (T) → (1, T, C); ids must be text tokens (&lt; vocab_size).</summary>
    public Tensor Embed(long[] ids, Device device)
    {
        int vocab = _config.TextConfig.VocabSize;
        foreach (long id in ids)
            if (id < 0 || id >= vocab)
                throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary [0, {vocab})");
        using var scope = NewDisposeScope();
        var t = tensor(ids, ScalarType.Int64, device).unsqueeze(0);                 // (1, T)
        return language_model.EmbedTokens(t).MoveToOuterDisposeScope();             // (1, T, C)
    }

    /// <summary>Language model forward over ready-made embeddings (see <see cref="LlamaModel"/>).</summary>
    public override LlamaModelOutput forward(LlamaModelInput input) => language_model.forward(input);
}
