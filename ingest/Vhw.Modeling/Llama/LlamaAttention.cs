using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>
/// HF <c>LlamaAttention</c> with GQA. The forward runs SDPA; when asked, the last query's softmax row is computed
/// eagerly from its query vector and the (cached) keys after RoPE — never the full attention matrix.
/// </summary>
public sealed class LlamaAttention : nn.Module<LlamaLayerInput, LlamaLayerOutput>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly double _scaling;

    public LlamaAttention(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaAttention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _scaling = 1.0 / Math.Sqrt(_headDim);
        int h = config.HiddenSize;
        bool bias = config.AttentionBias;
        q_proj = nn.Linear(h, _heads * _headDim, hasBias: bias, device: device, dtype: dtype);
        k_proj = nn.Linear(h, _kvHeads * _headDim, hasBias: bias, device: device, dtype: dtype);
        v_proj = nn.Linear(h, _kvHeads * _headDim, hasBias: bias, device: device, dtype: dtype);
        o_proj = nn.Linear(_heads * _headDim, h, hasBias: bias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override LlamaLayerOutput forward(LlamaLayerInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        long b = x.shape[0], t = x.shape[1];
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);   // (B, nh, T, hd)
        var k = k_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2); // (B, nkv, T, hd)
        var v = v_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2); // (B, nkv, T, hd)
        (q, k) = Rotary.Apply(q, k, input.Cos, input.Sin);
        if (input.Cache is not null)
            (k, v) = input.Cache.Update(input.LayerIdx, k, v);                    // (B, nkv, Tk, hd)
        long tk = k.shape[2];
        var keys = RepeatKv.Apply(k, _heads / _kvHeads);                          // (B, nh, Tk, hd)
        var values = RepeatKv.Apply(v, _heads / _kvHeads);                        // (B, nh, Tk, hd)

        Tensor output;
        Tensor? attentions = null;
        if (input.OutputAttentions)
        {
            var mask = EagerAttention.CausalMask(t, tk, ScalarType.Float32, x.device); // (T, Tk)
            (output, attentions) = EagerAttention.Forward(q, keys, values, mask, _scaling);
        }
        else if (t == 1)
            output = nn.functional.scaled_dot_product_attention(q, keys, values);       // (B, nh, 1, hd)
        else if (t == tk)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, is_casual: true); // (B, nh, T, hd)
        else
        {
            var mask = EagerAttention.CausalMask(t, tk, q.dtype, x.device);             // (T, Tk) bottom-right aligned
            output = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask);
        }

        Tensor? row = null;
        if (input.CaptureLastQuery)
        {
            var lastQuery = q.narrow(2, t - 1, 1);                                      // (B, nh, 1, hd)
            row = EagerAttention.Weights(lastQuery, keys, null, _scaling).squeeze(2);    // (B, nh, Tk): last query sees every key
        }

        output = output.transpose(1, 2).reshape(b, t, _heads * _headDim);             // (B, T, nh*hd)
        var hidden = o_proj.forward(output);                                          // (B, T, C)
        return new LlamaLayerOutput(
            hidden.MoveToOuterDisposeScope(),
            row?.MoveToOuterDisposeScope(),
            attentions?.MoveToOuterDisposeScope());
    }
}
