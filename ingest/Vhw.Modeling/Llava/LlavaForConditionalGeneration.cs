using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llama;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>
/// HF <c>LlavaForConditionalGeneration</c>: <c>model</c> (<see cref="LlavaModel"/>) + <c>lm_head</c>. Parameter names
/// follow the new HF layout (<c>model.language_model.layers.N…</c>, <c>lm_head.weight</c>); the loader maps the legacy one.
/// </summary>
public sealed class LlavaForConditionalGeneration : nn.Module<LlavaForwardInput, LlavaForwardOutput>
{
    private readonly LlavaModel model;
    private readonly Linear lm_head;

    public LlavaForConditionalGeneration(LlavaConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(LlavaForConditionalGeneration))
    {
        Config = config;
        Dtype = dtype;
        Device = device ?? CPU;
        model = new LlavaModel(config, dtype, Device);
        lm_head = nn.Linear(config.TextConfig.HiddenSize, config.TextConfig.VocabSize, hasBias: false, device: Device, dtype: dtype);
        RegisterComponents();
    }

    public LlavaConfig Config { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }
    public LlavaModel Model => model;

    /// <summary>lm_head over hidden states (…, C) → logits (…, vocab).</summary>
    public Tensor LmHead(Tensor hiddenStates) => lm_head.forward(hiddenStates);

    /// <summary>Ties lm_head to embed_tokens by copying the embedding matrix (tie_word_embeddings checkpoints).</summary>
    public void TieLmHeadToEmbeddings()
    {
        using var noGrad = no_grad();
        lm_head.weight!.copy_(model.LanguageModel.EmbeddingWeight);
    }

    /// <summary>Full-sequence forward without cache (prefill-style): logits for every position.</summary>
    public override LlavaForwardOutput forward(LlavaForwardInput input)
    {
        using var scope = NewDisposeScope();
        var features = model.GetImageFeatures(input.PixelValues);                   // (1, N, C)
        int n = (int)features.shape[1];
        var (ids, imageStart) = ImageTokens.Expand(input.InputIds, Config.ImageTokenIndex, n);
        var embeds = model.BuildInputsEmbeds(ids, imageStart, features);            // (1, T, C)
        var positions = arange(ids.Length, dtype: ScalarType.Int64, device: Device).unsqueeze(0); // (1, T)
        var output = model.forward(new LlamaModelInput(embeds, positions, OutputAttentions: input.OutputAttentions, Ablation: input.Ablation));
        var logits = lm_head.forward(output.LastHiddenState);                      // (1, T, vocab)
        return new LlavaForwardOutput(logits.MoveToOuterDisposeScope(), output.Attentions?.MoveToOuterDisposeScope(), ids, imageStart, n);
    }

    /// <summary>
    /// Greedy decoding with KV cache for one sample (batch 1), with optional capture of one query's attention row
    /// per layer and head (see <see cref="CaptureQuery"/>). Pass <paramref name="capture"/> = null to generate
    /// without capture (e.g. to benchmark the capture overhead). Runs under inference mode and a dispose scope.
    /// </summary>
    /// <param name="inputIds">Prompt ids holding exactly one image placeholder (config.image_token_index).</param>
    /// <param name="pixelValues">(1, C, H, W) preprocessed image.</param>
    /// <param name="maxNewTokens">Most tokens to generate (≥ 0); capture still runs when 0 or 1.</param>
    /// <param name="eosTokenId">Stops generation (excluded from GeneratedIds); null = never stop early.</param>
    /// <param name="capture">Which query row to capture, or null for none.</param>
    /// <param name="ablation">Decoder heads removed in every forward of this generation (prefill and each step); null = none.</param>
    public GenerationResult Generate(long[] inputIds, Tensor pixelValues, int maxNewTokens, long? eosTokenId, CaptureQuery? capture,
        HeadAblation? ablation = null) =>
        LlavaGreedyDecoder.Run(this, inputIds, pixelValues, maxNewTokens, eosTokenId, capture, ablation);

    /// <summary>
    /// <see cref="Generate"/> for B samples in one batch: prompts left-padded to the longest, a key-padding mask on every
    /// attention path, HF position ids, a batch-B KV cache, EOS per row. Result i means what <c>Generate</c> returns for
    /// sample i alone (same tokens; rows over its own keys, equal within float tolerance).
    /// </summary>
    /// <param name="inputIds">One prompt per sample, each with exactly one image placeholder; lengths may differ.</param>
    /// <param name="pixelValues">(B, C, H, W), row i the image of prompt i.</param>
    public GenerationResult[] GenerateBatch(IReadOnlyList<long[]> inputIds, Tensor pixelValues, int maxNewTokens, long? eosTokenId,
        CaptureQuery? capture, HeadAblation? ablation = null) =>
        LlavaBatchDecoder.Run(this, inputIds, pixelValues, maxNewTokens, eosTokenId, capture, ablation);
}
