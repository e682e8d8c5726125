using TorchSharp;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>LlamaDecoderLayer</c>: pre-norm attention and SwiGLU MLP with residuals.</summary>
public sealed class LlamaDecoderLayer : nn.Module<LlamaLayerInput, LlamaLayerOutput>
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaRmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, dtype, device);
        mlp = new LlamaMlp(config, dtype, device);
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public override LlamaLayerOutput forward(LlamaLayerInput input)
    {
        using var scope = NewDisposeScope();
        var residual = input.HiddenStates;                                             // (B, T, C)
        var attn = self_attn.forward(input with { HiddenStates = input_layernorm.forward(residual) });
        var h = residual + attn.HiddenStates;
        h = h + mlp.forward(post_attention_layernorm.forward(h));                      // (B, T, C)
        return new LlamaLayerOutput(
            h.MoveToOuterDisposeScope(),
            attn.CapturedRow?.MoveToOuterDisposeScope(),
            attn.Attentions?.MoveToOuterDisposeScope());
    }
}
