namespace Vhw.Transform.Kernels;

/// <summary>
/// Quantiles with linear interpolation between order statistics, as DuckDB's quantile_cont computes them (and R's
/// type 7): for n sorted values x₀ ≤ … ≤ x_{n−1} and q in [0, 1], with h = (n − 1)·q, the quantile is
/// x_⌊h⌋ + (h − ⌊h⌋)·(x_⌈h⌉ − x_⌊h⌋); NULL (null here) for no values. The percentiles of head image attention
/// (int_image_fraction_percentiles_per_head: p10, median, p90 of image_fraction over a run's samples) use it.
/// </summary>
internal static class LinearQuantile
{
    /// <summary>The quantiles of <paramref name="values"/> at each q, sorting the span in place.</summary>
    public static double?[] Of(Span<double> values, IReadOnlyList<double> qs)
    {
        var result = new double?[qs.Count];
        if (values.IsEmpty) return result;
        values.Sort();
        for (int i = 0; i < qs.Count; i++)
        {
            double h = (values.Length - 1) * qs[i];
            int lo = (int)Math.Floor(h), hi = (int)Math.Ceiling(h);
            result[i] = lo == hi ? values[lo] : values[lo] + (h - lo) * (values[hi] - values[lo]);
        }
        return result;
    }
}
