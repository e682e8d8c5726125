namespace Vhw.Transform.Kernels;

/// <summary>
/// Quantiles with linear interpolation between order statistics, as DuckDB's quantile_cont computes them (and R's
/// type 7): for n sorted values x₀ ≤ … ≤ x_{n−1} and q in [0, 1], with h = (n − 1)·q, the quantile is
/// x_⌊h⌋ + (h − ⌊h⌋)·(x_⌈h⌉ − x_⌊h⌋); NULL (null here) for no values; NaN orders after every number, as in DuckDB.
/// The percentiles of head image attention (int_image_fraction_percentiles_per_head: p10, median, p90 of
/// image_fraction over a run's samples) use it. Only the needed order statistics are selected (quickselect), not a
/// full sort.
/// </summary>
public static class LinearQuantile
{
    /// <summary>The quantiles of <paramref name="values"/> at each q (ascending), reordering the span in place.</summary>
    public static double?[] Of(Span<double> values, IReadOnlyList<double> qs)
    {
        var result = new double?[qs.Count];
        if (values.IsEmpty) return result;
        int from = 0; // every element before it is ≤ every element from it on (selected for an earlier q)
        for (int i = 0; i < qs.Count; i++)
        {
            if (i > 0 && qs[i] < qs[i - 1]) throw new ArgumentException("quantiles must be ascending", nameof(qs));
            double h = (values.Length - 1) * qs[i];
            int lo = (int)Math.Floor(h), hi = (int)Math.Ceiling(h);
            double x = SelectInPlace(values, from, lo);
            from = lo;
            if (lo == hi) { result[i] = x; continue; }
            double y = Min(values[(lo + 1)..]);
            result[i] = x + (h - lo) * (y - x);
        }
        return result;
    }

    // Moves the k-th smallest of values[from..] (k ≥ from) to index k, smaller ones before it, larger ones after.
    private static double SelectInPlace(Span<double> values, int from, int k)
    {
        int left = from, right = values.Length - 1;
        int budget = 2 * (int)Math.Log2(values.Length - from + 1) + 8; // partitions before a sort takes over
        while (right > left)
        {
            if (right - left < 32 || budget-- == 0)
            {
                values[left..(right + 1)].Sort(Compare);
                break;
            }
            double pivot = MedianOfThree(values[left], values[left + (right - left) / 2], values[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (Less(values[i], pivot)) i++;
                while (Less(pivot, values[j])) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else break; // values[j + 1 .. i - 1] all equal the pivot, k among them
        }
        return values[k];
    }

    private static double Min(ReadOnlySpan<double> values)
    {
        double min = values[0];
        foreach (double v in values) if (Less(v, min)) min = v;
        return min;
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Less(a, b) ? (Less(b, c) ? b : Less(a, c) ? c : a) : (Less(a, c) ? a : Less(b, c) ? c : b);

    // a < b with NaN after every number
    private static bool Less(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a < b);

    private static int Compare(double a, double b) => Less(a, b) ? -1 : Less(b, a) ? 1 : 0;
}
