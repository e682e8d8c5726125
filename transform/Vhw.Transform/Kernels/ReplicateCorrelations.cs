namespace Vhw.Transform.Kernels;

/// <summary>One bootstrap replicate of a run: how many heads have both means drawn, and the two correlations over them.</summary>
internal readonly record struct ReplicateCorrelation(int Heads, double? Pearson, double? Spearman);

/// <summary>
/// From a run's bootstrap sums (<see cref="ReplicateSums"/>), what weight_concentration_corr takes the quantiles of:
/// per replicate, over the run's heads whose two weighted means are drawn there, Pearson's r of the heads' image_fraction
/// and image_concentration means (Bi et al., Figure 1 and finding 3: attention weight on image tokens against its
/// concentration; paper-method.md), and Spearman's rho = Pearson's r of the means' average ranks (<see cref="AverageRank"/>,
/// as the SQL macro average_rank ranks). A mean is sum / weight, not drawn where the weight is 0 (the replicate draws none
/// of the head's samples). Pearson is DuckDB's corr: NULL without a head, NaN for one head or where a mean is constant
/// over them. Replicates in parallel.
/// </summary>
internal static class ReplicateCorrelations
{
    /// <param name="order">The heads' slots in the order their terms are summed (by layer and head: the slots follow the
    /// order the facts arrived in, which DuckDB's parallel scan does not fix, and a sum's rounding follows its order).</param>
    public static ReplicateCorrelation[] Of(ReplicateSums fraction, ReplicateSums concentration, int[] order, int threads)
    {
        int replicates = fraction.Sums.Length, heads = order.Length;
        var result = new ReplicateCorrelation[replicates];
        Parallel.For(0, replicates, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            () => new Buffers(heads), (r, _, b) =>
            {
                double[] fs = fraction.Sums[r], fw = fraction.Weights[r], cs = concentration.Sums[r], cw = concentration.Weights[r];
                int n = 0;
                foreach (int h in order)
                {
                    if (fw[h] > 0 && cw[h] > 0)
                    {
                        b.Fraction[n] = fs[h] / fw[h];
                        b.Concentration[n] = cs[h] / cw[h];
                        n++;
                    }
                }
                var f = b.Fraction.AsSpan(0, n);
                var c = b.Concentration.AsSpan(0, n);
                b.Ranker.Of(f, b.FractionRanks.AsSpan(0, n));
                b.Ranker.Of(c, b.ConcentrationRanks.AsSpan(0, n));
                result[r] = new ReplicateCorrelation(n, Pearson<double>(f, c),
                    Pearson<float>(b.FractionRanks.AsSpan(0, n), b.ConcentrationRanks.AsSpan(0, n)));
                return b;
            }, _ => { });
        return result;
    }

    // Pearson correlation, two passes (means, then centred sums): NULL without pairs, NaN for one pair or a constant side
    // (0 / 0), as DuckDB's corr
    private static double? Pearson<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : System.Numerics.INumberBase<T>
    {
        if (x.Length == 0) return null;
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mx += double.CreateTruncating(x[i]);
            my += double.CreateTruncating(y[i]);
        }
        mx /= x.Length;
        my /= x.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = double.CreateTruncating(x[i]) - mx, dy = double.CreateTruncating(y[i]) - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    private sealed class Buffers(int heads)
    {
        public readonly double[] Fraction = new double[heads], Concentration = new double[heads];
        public readonly float[] FractionRanks = new float[heads], ConcentrationRanks = new float[heads];
        public readonly AverageRank Ranker = new(heads);
    }
}
