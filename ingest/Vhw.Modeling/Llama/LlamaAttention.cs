using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>
/// HF <c>LlamaAttention</c> with GQA. The forward runs SDPA; when asked, the last query's softmax row is computed
/// eagerly from its query vector and the (cached) keys after RoPE — never the full attention matrix.
/// With <see cref="LlamaLayerInput.Ablation"/>, the layer's selected heads are removed (<see cref="HeadMaskout"/>): maskout
/// zeroes their query rows and opens their mask rows on whichever path runs (a layer without selected heads keeps the
/// unchanged fast path); zero_output zeroes their output before o_proj.
/// With a sliding window (mistral, phi3: <see cref="LlamaConfig.EffectiveSlidingWindow"/>) shorter than the keys, every
/// path — SDPA, eager and the captured row — uses the sliding-window causal mask, so captured rows are 0 outside the window.
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
    private readonly int? _slidingWindow;

    public LlamaAttention(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaAttention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _scaling = 1.0 / Math.Sqrt(_headDim);
        _slidingWindow = config.EffectiveSlidingWindow;
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
        int? window = _slidingWindow is { } w && w < tk ? w : null;                // null: the window hides no key
        var keys = RepeatKv.Apply(k, _heads / _kvHeads);                          // (B, nh, Tk, hd)
        var values = RepeatKv.Apply(v, _heads / _kvHeads);                        // (B, nh, Tk, hd)
        long[] removed = input.Ablation?.HeadsOf(input.LayerIdx) ?? [];
        bool maskout = removed.Length > 0 && input.Ablation!.Mode == HeadAblationMode.Maskout;

        Tensor output;
        Tensor? attentions = null;
        if (input.OutputAttentions)
        {
            Tensor? mask = EagerAttention.CausalMask(t, tk, ScalarType.Float32, x.device, window); // (T, Tk)
            if (maskout) (q, mask) = HeadMaskout.Apply(q, mask, removed);                 // mask (1, nh, T, Tk)
            (output, attentions) = EagerAttention.Forward(q, keys, values, mask, _scaling);
        }
        else if (maskout)
        {
            // one decoding step sees every key: no mask, zero query rows suffice; otherwise a per-head causal mask
            Tensor? mask = t == 1 && window is null ? null : EagerAttention.CausalMask(t, tk, q.dtype, x.device, window); // (T, Tk)
            (q, mask) = HeadMaskout.Apply(q, mask, removed);                                    // (B, nh, T, hd), (1, nh, T, Tk)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask); // (B, nh, T, hd)
        }
        else if (t == 1 && window is null)
            output = nn.functional.scaled_dot_product_attention(q, keys, values);       // (B, nh, 1, hd)
        else if (t == tk && window is null)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, is_casual: true); // (B, nh, T, hd)
        else
        {
            var mask = EagerAttention.CausalMask(t, tk, q.dtype, x.device, window);     // (T, Tk) bottom-right aligned
            output = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask);
        }

        Tensor? row = null;
        if (input.CaptureLastQuery)
        {
            var lastQuery = q.narrow(2, t - 1, 1);                                      // (B, nh, 1, hd)
            // the last query sees every key, or only the window's; maskout heads see all keys (their q is 0, mask row 0)
            Tensor? rowMask = window is null ? null : EagerAttention.CausalMask(1, tk, ScalarType.Float32, x.device, window); // (1, Tk)
            if (rowMask is not null && maskout) (_, rowMask) = HeadMaskout.Apply(lastQuery, rowMask, removed);   // (1, nh, 1, Tk)
            row = EagerAttention.Weights(lastQuery, keys, rowMask, _scaling).squeeze(2); // (B, nh, Tk)
        }

        if (removed.Length > 0 && input.Ablation!.Mode == HeadAblationMode.ZeroOutput)
            output = HeadMaskout.ZeroOutputs(output, removed);                          // (B, nh, T, hd)
        output = output.transpose(1, 2).reshape(b, t, _heads * _headDim);             // (B, T, nh*hd)
        var hidden = o_proj.forward(output);                                          // (B, T, C)
        return new LlamaLayerOutput(
            hidden.MoveToOuterDisposeScope(),
            row?.MoveToOuterDisposeScope(),
            attentions?.MoveToOuterDisposeScope());
    }
}
