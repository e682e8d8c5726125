using Vhw.Modeling.Configs;

namespace Vhw.Modeling.Default;

/// <summary>
/// Sizes of a tiny random-init LLaVA (CLIP tower + Llama decoder) for tests and dry runs. Defaults: 32×32 image,
/// patch 8 (16 image tokens), vision 32 wide × 2 layers × 2 heads, text 64 wide × 4 layers × 4 heads with 2 KV heads
/// (GQA; set TextKvHeads = 4 for MHA), intermediate 128, rope_theta 10000. Pass the tokenizer's size as VocabSize.
/// </summary>
public sealed record TinyLlavaSpec
{
    public int VocabSize { get; init; } = 32064;
    public int ImageTokenIndex { get; init; } = 32000;
    public int? PadTokenId { get; init; } = 32001;
    public int BosTokenId { get; init; } = 1;
    public int EosTokenId { get; init; } = 2;
    public int ImageSize { get; init; } = 32;
    public int PatchSize { get; init; } = 8;
    public int VisionHiddenSize { get; init; } = 32;
    public int VisionIntermediateSize { get; init; } = 64;
    public int VisionLayers { get; init; } = 2;
    public int VisionHeads { get; init; } = 2;
    public int TextHiddenSize { get; init; } = 64;
    public int TextIntermediateSize { get; init; } = 128;
    public int TextLayers { get; init; } = 4;
    public int TextHeads { get; init; } = 4;
    public int TextKvHeads { get; init; } = 2;
    public double RopeTheta { get; init; } = 10000.0;
    public int MaxPositionEmbeddings { get; init; } = 4096;
    public double RmsNormEps { get; init; } = 1e-5;
    public int VisionFeatureLayer { get; init; } = -2;
    public string VisionFeatureSelectStrategy { get; init; } = "default";
    public long Seed { get; init; } = 20250101;

    /// <summary>The llava config.json this spec describes.</summary>
    public LlavaConfig ToConfig() => new()
    {
        Architectures = ["LlavaForConditionalGeneration"],
        ImageTokenIndex = ImageTokenIndex,
        ProjectorHiddenAct = "gelu",
        VisionFeatureLayer = VisionFeatureLayer,
        VisionFeatureSelectStrategy = VisionFeatureSelectStrategy,
        TieWordEmbeddings = false,
        TorchDtype = "float32",
        TextConfig = new LlamaConfig
        {
            VocabSize = VocabSize,
            HiddenSize = TextHiddenSize,
            IntermediateSize = TextIntermediateSize,
            NumHiddenLayers = TextLayers,
            NumAttentionHeads = TextHeads,
            NumKeyValueHeads = TextKvHeads,
            MaxPositionEmbeddings = MaxPositionEmbeddings,
            RmsNormEps = RmsNormEps,
            RopeTheta = RopeTheta,
            BosTokenId = BosTokenId,
            EosTokenId = EosTokenId,
            PadTokenId = PadTokenId,
        },
        VisionConfig = new ClipVisionConfig
        {
            HiddenSize = VisionHiddenSize,
            IntermediateSize = VisionIntermediateSize,
            ProjectionDim = VisionHiddenSize,
            NumHiddenLayers = VisionLayers,
            NumAttentionHeads = VisionHeads,
            ImageSize = ImageSize,
            PatchSize = PatchSize,
        },
    };
}
