using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>
/// Left padding in a batch (HF <c>attention_mask</c>): pad keys are hidden from every query, on top of the causal
/// (and sliding-window) mask, so a padded row attends exactly like the same prompt alone. A pad query keeps its own key
/// open: otherwise its row would be all −inf and softmax NaN, and the NaN would reach the cache's pad values (HF does
/// the same for fully masked rows with <c>_unmask_unattended</c>). Pad queries are never read; real queries never see
/// a pad key, because their own key is a real one.
/// </summary>
public static class KeyPadding
{
    /// <summary>
    /// keyValid (B, Tk) bool (false = pad) and an additive mask (Tq, Tk) from <see cref="EagerAttention.CausalMask"/>, or
    /// null when every key is visible → additive (B, 1, Tq, Tk) in <paramref name="dtype"/>. Query i is the key at
    /// index Tk − Tq + i (bottom-right aligned, like the causal mask).
    /// </summary>
    public static Tensor Mask(Tensor keyValid, Tensor? causal, long tq, ScalarType dtype)
    {
        if (keyValid.dim() != 2 || keyValid.dtype != ScalarType.Bool)
            throw new ArgumentException($"keyValid must be (B, Tk) bool, got {keyValid.dtype} [{string.Join(", ", keyValid.shape)}]", nameof(keyValid));
        using var scope = NewDisposeScope();
        long b = keyValid.shape[0], tk = keyValid.shape[1];
        var device = keyValid.device;
        var own = arange(tk, device: device).unsqueeze(0)
            .eq(arange(tk - tq, tk, device: device).unsqueeze(1));                      // (Tq, Tk) a query's own key
        var hidden = keyValid.logical_not().view(b, 1, 1, tk)
            .logical_and(own.logical_not().view(1, 1, tq, tk));                       // (B, 1, Tq, Tk) pad keys
        var mask = zeros(b, 1, tq, tk, dtype: dtype, device: device)
            .masked_fill(hidden, float.NegativeInfinity);                              // (B, 1, Tq, Tk)
        if (causal is not null)
            mask = mask + causal.to(dtype).view(1, 1, tq, tk);                         // (B, 1, Tq, Tk)
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// HF position ids of a left-padded batch: cumsum(attention_mask) − 1, pads clamped to 0. keyValid (B, T) → (B, T) long.
    /// </summary>
    public static Tensor PositionIds(Tensor keyValid)
    {
        using var scope = NewDisposeScope();
        var positions = keyValid.to(ScalarType.Int64).cumsum(1) - 1;                   // (B, T)
        return positions.clamp_min(0).MoveToOuterDisposeScope();                       // (B, T)
    }
}
