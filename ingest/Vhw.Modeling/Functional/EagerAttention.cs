using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>
/// The one eager attention formula (HF <c>eager_attention_forward</c>): softmax(q·kᵀ·scaling + mask) in float32.
/// Used for captured query rows, for the OutputAttentions reference path and in tests; the fast forward is SDPA.
/// </summary>
public static class EagerAttention
{
    /// <summary>
    /// Post-softmax weights in float32. query (B, h, Tq, d), key (B, h, Tk, d) with kv heads already repeated,
    /// mask additive (Tq, Tk) or broadcastable, or null → (B, h, Tq, Tk).
    /// </summary>
    public static Tensor Weights(Tensor query, Tensor key, Tensor? mask, double scaling)
    {
        if (query.shape[1] != key.shape[1] || query.shape[^1] != key.shape[^1])
            throw new ArgumentException($"query {Shape(query)} and key {Shape(key)} disagree on heads or head_dim");
        using var scope = NewDisposeScope();
        var q = query.to(ScalarType.Float32);
        var k = key.to(ScalarType.Float32);
        var scores = matmul(q, k.transpose(2, 3)) * scaling; // (B, h, Tq, Tk)
        if (mask is not null)
            scores = scores + mask.to(ScalarType.Float32);
        return scores.softmax(-1, ScalarType.Float32).MoveToOuterDisposeScope(); // (B, h, Tq, Tk)
    }

    /// <summary>Attention output (B, h, Tq, d) in value's dtype plus the float32 weights (B, h, Tq, Tk).</summary>
    public static (Tensor Output, Tensor Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? mask, double scaling)
    {
        using var scope = NewDisposeScope();
        var weights = Weights(query, key, mask, scaling);         // (B, h, Tq, Tk)
        var output = matmul(weights.to(value.dtype), value);      // (B, h, Tq, d)
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Additive causal mask (Tq, Tk), bottom-right aligned: query i (absolute position p = Tk - Tq + i) sees keys j ≤ p;
    /// with <paramref name="slidingWindow"/> w, only keys p - w &lt; j ≤ p (HF's sliding-window causal mask: the last w
    /// positions, itself included). Masked entries are -inf.
    /// </summary>
    public static Tensor CausalMask(long tq, long tk, ScalarType dtype, Device device, int? slidingWindow = null)
    {
        if (slidingWindow is < 1)
            throw new ArgumentOutOfRangeException(nameof(slidingWindow), "a sliding window must be at least 1");
        using var scope = NewDisposeScope();
        var full = TorchSharp.torch.full(tq, tk, float.NegativeInfinity, dtype: dtype, device: device); // (Tq, Tk)
        var mask = full.triu(tk - tq + 1);                                                  // (Tq, Tk) future keys
        if (slidingWindow is { } w)
            mask = mask + full.tril(tk - tq - w);                                           // (Tq, Tk) keys older than the window
        return mask.MoveToOuterDisposeScope();
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
