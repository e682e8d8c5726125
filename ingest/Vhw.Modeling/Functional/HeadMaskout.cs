using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>
/// Head removal as tensor math (paper-method.md "Ablation (maskout)"), applied inside <c>LlamaAttention</c> to the inputs
/// of whichever attention path runs (SDPA or <see cref="EagerAttention"/>), so there is no second attention formula.
/// <para>
/// Maskout sets a head's logits to 0 after the causal mask is added. With logits = q·kᵀ·scaling + mask that is exactly
/// a zero query row (q·kᵀ = 0) plus a zero mask row for that head: softmax(0) is uniform over every key, the head
/// outputs the mean of all values, future keys included during prefill. The other heads keep their query and mask.
/// </para>
/// </summary>
public static class HeadMaskout
{
    /// <summary>
    /// query (B, nh, Tq, d) and an additive mask (Tq, Tk) or (B, 1, Tq, Tk), or null when every key is visible (one
    /// decoding step with cache) → the query with the selected heads' rows set to 0 and, when a mask is given, a
    /// per-head mask (B or 1, nh, Tq, Tk) whose rows for the selected heads are 0 (the causal −inf overwritten, as the
    /// authors do). In a left-padded batch <paramref name="open"/> (B, 1, Tq, Tk), the padding alone
    /// (<see cref="KeyPadding.Mask"/> without the causal part), replaces 0: the head is uniform over the row's real keys.
    /// </summary>
    public static (Tensor Query, Tensor? Mask) Apply(Tensor query, Tensor? mask, long[] heads, Tensor? open = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var scope = NewDisposeScope();
        long nh = query.shape[1], tq = query.shape[2];
        var selected = Selector(heads, nh, query.device);                     // (1, nh, 1, 1) bool
        var q = query.masked_fill(selected, 0);                               // (B, nh, Tq, d)
        Tensor? m = null;
        if (mask is not null)
        {
            long tk = mask.shape[^1];
            bool plain = mask.dim() == 2 && mask.shape[0] == tq, batched = mask.dim() == 4 && mask.shape[1] == 1 && mask.shape[2] == tq;
            if (!plain && !batched)
                throw new ArgumentException($"mask must be (Tq, Tk) or (B, 1, Tq, Tk) with Tq = {tq}, got [{string.Join(", ", mask.shape)}]", nameof(mask));
            var rows = batched ? mask : mask.view(1, 1, tq, tk);              // (B|1, 1, Tq, Tk)
            var perHead = rows.expand(rows.shape[0], nh, tq, tk);             // (B|1, nh, Tq, Tk)
            m = open is null ? perHead.masked_fill(selected, 0)
                : where(selected, open.to(perHead.dtype), perHead);           // (B, nh, Tq, Tk)
        }
        return (q.MoveToOuterDisposeScope(), m?.MoveToOuterDisposeScope());
    }

    /// <summary>The clean variant: attention output (B, nh, T, d) with the selected heads set to 0 (before o_proj).</summary>
    public static Tensor ZeroOutputs(Tensor output, long[] heads)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = NewDisposeScope();
        var selected = Selector(heads, output.shape[1], output.device);       // (1, nh, 1, 1) bool
        return output.masked_fill(selected, 0).MoveToOuterDisposeScope();     // (B, nh, T, d)
    }

    /// <summary>(1, nh, 1, 1) bool, true for the selected heads.</summary>
    private static Tensor Selector(long[] heads, long nh, Device device)
    {
        var flags = new bool[nh];
        foreach (long h in heads)
        {
            if (h < 0 || h >= nh) throw new ArgumentOutOfRangeException(nameof(heads), $"head {h} is outside 0..{nh - 1}");
            flags[h] = true;
        }
        return tensor(flags, [1, nh, 1, 1]).to(device);
    }
}
