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
/// With <see cref="LlamaLayerInput.AttentionMask"/> (a left-padded batch), every path also hides the pad keys
/// (<see cref="KeyPadding"/>), so captured rows are 0 at pad keys and each row attends as its prompt alone.
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

        var padding = input.AttentionMask;                                         // (B, Tk) bool or null
        if (padding is not null && (padding.shape[0] != b || padding.shape[^1] != tk))
            throw new ArgumentException($"attention mask [{string.Join(", ", padding.shape)}] must be (B, Tk) = ({b}, {tk})");
        // additive mask for tq queries ending at the last key: causal (+ window) (Tq, Tk), with padding (B, 1, Tq, Tk);
        // null when every key is visible (one query, no window, no padding)
        Tensor? Mask(long tq, ScalarType dtype)
        {
            Tensor? causal = tq > 1 || window is not null ? EagerAttention.CausalMask(tq, tk, dtype, x.device, window) : null;
            return padding is null ? causal : KeyPadding.Mask(padding, causal, tq, dtype);
        }
        // what a maskout head sees instead: every key (null), or with padding every real key (B, 1, Tq, Tk)
        Tensor? Open(long tq, ScalarType dtype) => padding is null ? null : KeyPadding.Mask(padding, null, tq, dtype);

        Tensor output;
        Tensor? attentions = null;
        if (input.OutputAttentions)
        {
            var mask = Mask(t, ScalarType.Float32);                                      // (T, Tk) or (B, 1, T, Tk)
            if (maskout) (q, mask) = HeadMaskout.Apply(q, mask, removed, Open(t, ScalarType.Float32)); // mask (B|1, nh, T, Tk)
            (output, attentions) = EagerAttention.Forward(q, keys, values, mask, _scaling);
        }
        else if (maskout)
        {
            // one decoding step sees every key: no mask, zero query rows suffice; otherwise a per-head mask
            var mask = Mask(t, q.dtype);                                                // (T, Tk) or (B, 1, T, Tk)
            (q, mask) = HeadMaskout.Apply(q, mask, removed, Open(t, q.dtype));          // (B, nh, T, hd), (B|1, nh, T, Tk)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask); // (B, nh, T, hd)
        }
        else if (padding is null && t == 1 && window is null)
            output = nn.functional.scaled_dot_product_attention(q, keys, values);       // (B, nh, 1, hd)
        else if (padding is null && t == tk && window is null)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, is_casual: true); // (B, nh, T, hd)
        else
        {
            var mask = Mask(t, q.dtype);                                                // (T, Tk) bottom-right aligned, or (B, 1, T, Tk)
            output = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask);
        }

        Tensor? row = null;
        if (input.CaptureLastQuery)
        {
            var lastQuery = q.narrow(2, t - 1, 1);                                      // (B, nh, 1, hd)
            // the last query sees every key, or only the window's / the real ones; maskout heads see all (real) keys
            // (their q is 0, their mask row 0 or the padding alone)
            var rowMask = Mask(1, ScalarType.Float32);                                  // (1, Tk) or (B, 1, 1, Tk)
            if (rowMask is not null && maskout) (_, rowMask) = HeadMaskout.Apply(lastQuery, rowMask, removed, Open(1, ScalarType.Float32)); // (B|1, nh, 1, Tk)
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
