using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlamaModel</c>: embed_tokens, decoder layers, final norm, rotary embedding.</summary>
public sealed class LlamaModel : nn.Module<LlamaModelInput, LlamaModelOutput>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
    private readonly LlamaRotaryEmbedding rotary_emb;

    public LlamaModel(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaModel))
    {
        Config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++)
            layers.Add(new LlamaDecoderLayer(config, dtype, device));
        norm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        rotary_emb = new LlamaRotaryEmbedding(config);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    /// <summary>The embedding matrix (vocab, C), e.g. for tied lm_head weights.</summary>
    public Parameter EmbeddingWeight => embed_tokens.weight!;

    /// <summary>HF <c>get_input_embeddings()(ids)</c>: ids (B, T) long → (B, T, C).</summary>
    public Tensor EmbedTokens(Tensor inputIds) => embed_tokens.forward(inputIds);

    public override LlamaModelOutput forward(LlamaModelInput input)
    {
        using var scope = NewDisposeScope();
        var h = input.InputsEmbeds;                                                   // (B, T, C)
        input.Ablation?.Validate(Config.NumHiddenLayers, Config.NumAttentionHeads);
        var (cos, sin) = rotary_emb.forward(input.PositionIds, h.dtype);              // (B, T, d) each
        var rows = new List<Tensor>();
        var attentions = new List<Tensor>();
        for (int i = 0; i < layers.Count; i++)
        {
            var output = layers[i].forward(new LlamaLayerInput(
                h, cos, sin, input.Cache, i, input.CaptureLastQuery, input.OutputAttentions, input.Ablation, input.AttentionMask));
            h = output.HiddenStates;
            if (output.CapturedRow is not null) rows.Add(output.CapturedRow);
            if (output.Attentions is not null) attentions.Add(output.Attentions);
        }
        var last = norm.forward(h);
        return new LlamaModelOutput(
            last.MoveToOuterDisposeScope(),
            rows.Count > 0 ? stack(rows).MoveToOuterDisposeScope() : null,             // (L, B, h, Tk)
            attentions.Count > 0 ? stack(attentions).MoveToOuterDisposeScope() : null); // (L, B, h, T, Tk)
    }
}
