namespace Vhw.Transform.Kernels;

/// <summary>
/// Quantiles with linear interpolation between order statistics, as DuckDB's quantile_cont computes them (and R's
/// type 7): for n sorted values x₀ ≤ … ≤ x_{n−1} and q in [0, 1], with h = (n − 1)·q, the quantile is
/// x_⌊h⌋ + (h − ⌊h⌋)·(x_⌈h⌉ − x_⌊h⌋); NULL (null here) for no values; NaN orders after every number, as in DuckDB.
/// The percentiles of head image attention (int_image_fraction_percentiles_per_head: p10, median, p90 of
/// image_fraction over a run's samples) use it. Only the needed order statistics are selected, not a full sort: from
/// <see cref="BucketFrom"/> values on by counting the values into equal-width buckets between the finite minimum and
/// maximum (a monotone map, so a rank's bucket follows from the counts) and sorting the few values of the buckets that
/// hold the wanted ranks (three passes without data-dependent branches: about 55 % of quickselect's time on 3 051
/// values); below it, or when the width cannot be computed, by quickselect.
/// </summary>
public static class LinearQuantile
{
    /// <summary>Fewest values selected through buckets (fewer: quickselect).</summary>
    public const int BucketFrom = 256;

    /// <summary>The quantiles of <paramref name="values"/> at each q (ascending); the span may be reordered.</summary>
    public static double?[] Of(Span<double> values, IReadOnlyList<double> qs)
    {
        var result = new double?[qs.Count];
        if (values.IsEmpty) return result;
        for (int i = 1; i < qs.Count; i++)
            if (qs[i] < qs[i - 1]) throw new ArgumentException("quantiles must be ascending", nameof(qs));
        if (values.Length >= BucketFrom && BucketSelector.TryOf(values, qs, result)) return result;
        return BySelection(values, qs, result);
    }

    // quickselect of each q's order statistics, each search starting where the previous one ended
    private static double?[] BySelection(Span<double> values, IReadOnlyList<double> qs, double?[] result)
    {
        int from = 0; // every element before it is ≤ every element from it on (selected for an earlier q)
        for (int i = 0; i < qs.Count; i++)
        {
            double h = (values.Length - 1) * qs[i];
            int lo = (int)Math.Floor(h), hi = (int)Math.Ceiling(h);
            double x = SelectInPlace(values, from, lo);
            from = lo;
            if (lo == hi) { result[i] = x; continue; }
            result[i] = Between(x, Min(values[(lo + 1)..]), h - lo);
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

    /// <summary>
    /// The interpolation between consecutive order statistics x = x_⌊h⌋ and y = x_⌊h⌋₊₁ at d = h − ⌊h⌋, written as DuckDB
    /// evaluates it, (1 − d)·x + d·y: x + d·(y − x) is the same number in exact arithmetic but gives NaN between two
    /// equal infinities and overflows between values of opposite sign near the double range.
    /// </summary>
    private static double Between(double x, double y, double d) => (1 - d) * x + d * y;

    // Order statistics through bucket counts. Order: -inf, the finite values, +inf, NaN (as DuckDB sorts doubles).
    private static class BucketSelector
    {
        [ThreadStatic] private static int[]? t_counts;
        [ThreadStatic] private static int[]? t_slots;
        [ThreadStatic] private static State? t_state;

        public static bool TryOf(Span<double> values, IReadOnlyList<double> qs, double?[] result)
        {
            int n = values.Length, negative = 0, positive = 0, nan = 0;
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in values)
            {
                if (double.IsFinite(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
                else if (double.IsNaN(v)) nan++;
                else if (v < 0) negative++;
                else positive++;
            }
            int finite = n - negative - positive - nan;
            if (finite == 0) return false;
            int buckets = Math.Min(4096, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(n / 2)));
            double width = max - min, scale = width > 0 ? buckets / width : 0;
            if (!double.IsFinite(width) || !double.IsFinite(scale)) return false; // a range beyond double, or a subnormal width
            var counts = t_counts is { } c && c.Length >= buckets ? c : t_counts = new int[Math.Max(4096, buckets)];
            counts.AsSpan(0, buckets).Clear();
            foreach (double v in values)
                if (double.IsFinite(v)) counts[Bucket(v, min, scale, buckets)]++;

            // the ranks each q needs (⌊h⌋ and ⌊h⌋ + 1), each finite one's bucket and place in it; then one pass collecting
            // those buckets' values (slots: 1 + the bucket's list, 0 for a bucket not wanted)
            var state = t_state ??= new State();
            var slots = t_slots is { } sl && sl.Length >= buckets ? sl : t_slots = new int[Math.Max(4096, buckets)];
            var wanted = new List<(int Rank, int Bucket, int Within)>(2 * qs.Count); // Bucket -1: outside the finite values
            int lists = 0;
            foreach (double q in qs)
            {
                double h = (n - 1) * q;
                int lo = (int)Math.Floor(h);
                foreach (int rank in Math.Ceiling(h) > lo ? [lo, lo + 1] : new[] { lo })
                {
                    int k = rank - negative, b = 0;
                    if (k < 0 || k >= finite) { wanted.Add((rank, -1, 0)); continue; }
                    while (k >= counts[b]) k -= counts[b++];
                    wanted.Add((rank, b, k));
                    if (slots[b] != 0) continue;
                    if (state.Lists.Count == lists) state.Lists.Add([]);
                    state.Lists[lists].Clear();
                    slots[b] = ++lists;
                }
            }
            foreach (double v in values)
                if (double.IsFinite(v) && slots[Bucket(v, min, scale, buckets)] is var slot and > 0) state.Lists[slot - 1].Add(v);
            for (int i = 0; i < lists; i++) System.Runtime.InteropServices.CollectionsMarshal.AsSpan(state.Lists[i]).Sort();
            double Rank(int rank)
            {
                if (rank < negative) return double.NegativeInfinity;
                if (rank >= negative + finite) return rank < negative + finite + positive ? double.PositiveInfinity : double.NaN;
                var (_, b, within) = wanted.Find(w => w.Rank == rank);
                return state.Lists[slots[b] - 1][within];
            }
            for (int i = 0; i < qs.Count; i++)
            {
                double h = (n - 1) * qs[i];
                int lo = (int)Math.Floor(h);
                result[i] = lo == (int)Math.Ceiling(h) ? Rank(lo) : Between(Rank(lo), Rank(lo + 1), h - lo);
            }
            foreach (var (_, b, _) in wanted) if (b >= 0) slots[b] = 0;
            return true;
        }

        private sealed class State
        {
            public readonly List<List<double>> Lists = [];
        }

        // monotone in v: (v − min) and the product round monotonically, so a smaller value never lands in a later bucket
        private static int Bucket(double v, double min, double scale, int buckets) => Math.Min(buckets - 1, (int)((v - min) * scale));
    }

    // a < b with NaN after every number
    private static bool Less(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a < b);

    private static int Compare(double a, double b) => Less(a, b) ? -1 : Less(b, a) ? 1 : 0;
}
