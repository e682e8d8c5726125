namespace Vhw.Transform.Kernels;

/// <summary>Per head (first index) and replicate (second): a value, and whether it is drawn (not drawn: NULL in the output).</summary>
internal sealed record HeadReplicates<T>(T[][] Values, bool[][] Drawn);

/// <summary>
/// From a run's bootstrap sums (<see cref="ReplicateSums"/>), every head's weighted mean in each replicate and the average
/// ranks of those means among the run's heads (<see cref="AverageRank"/>), what weight_concentration_corr correlates per
/// replicate: Pearson of the means, Spearman = Pearson of the ranks. A mean is sum / weight, not drawn where the weight is
/// 0 (the replicate draws none of the head's samples); a head is ranked in a replicate only when both its means are drawn
/// there (the heads the replicate's correlations run over), and has no rank otherwise. Computed replicate by replicate
/// (rows of the sums, in parallel), then transposed to one list per head, the kernel's output rows.
/// </summary>
internal static class ReplicateMeansAndRanks
{
    private const int TransposeBlock = 32;

    public static (HeadReplicates<double> FractionMeans, HeadReplicates<double> ConcentrationMeans,
        HeadReplicates<float> FractionRanks, HeadReplicates<float> ConcentrationRanks) Of(
        ReplicateSums fraction, ReplicateSums concentration, int heads, int threads)
    {
        int replicates = fraction.Sums.Length;
        var fractionMeans = Matrix<double>(replicates, heads);
        var concentrationMeans = Matrix<double>(replicates, heads);
        var fractionDrawn = Matrix<bool>(replicates, heads);
        var concentrationDrawn = Matrix<bool>(replicates, heads);
        var fractionRanks = Matrix<float>(replicates, heads);
        var concentrationRanks = Matrix<float>(replicates, heads);
        Parallel.For(0, replicates, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            () => new RankBuffers(heads), (r, _, buffers) =>
            {
                Means(fraction, r, fractionMeans[r], fractionDrawn[r]);
                Means(concentration, r, concentrationMeans[r], concentrationDrawn[r]);
                int n = 0;
                for (int h = 0; h < heads; h++)
                    if (fractionDrawn[r][h] && concentrationDrawn[r][h]) buffers.Heads[n++] = h;
                Rank(fractionMeans[r], fractionRanks[r], n, buffers);
                Rank(concentrationMeans[r], concentrationRanks[r], n, buffers);
                return buffers;
            }, _ => { });
        var fractionHeadDrawn = Transpose(fractionDrawn, heads, threads);
        var concentrationHeadDrawn = Transpose(concentrationDrawn, heads, threads);
        // a head is ranked where both its means are drawn
        var both = fractionHeadDrawn.Zip(concentrationHeadDrawn, (f, c) => f.Zip(c, (x, y) => x && y).ToArray()).ToArray();
        return (new(Transpose(fractionMeans, heads, threads), fractionHeadDrawn),
            new(Transpose(concentrationMeans, heads, threads), concentrationHeadDrawn),
            new(Transpose(fractionRanks, heads, threads), both), new(Transpose(concentrationRanks, heads, threads), both));
    }

    // replicate r's means: sum / weight where the weight is not 0
    private static void Means(ReplicateSums sums, int r, double[] means, bool[] drawn)
    {
        double[] s = sums.Sums[r], w = sums.Weights[r];
        for (int h = 0; h < means.Length; h++)
        {
            drawn[h] = w[h] > 0;
            means[h] = drawn[h] ? s[h] / w[h] : 0;
        }
    }

    // ranks[h] for the n heads in buffers.Heads, ranked by means[h]
    private static void Rank(double[] means, float[] ranks, int n, RankBuffers buffers)
    {
        for (int i = 0; i < n; i++) buffers.Values[i] = means[buffers.Heads[i]];
        buffers.Ranker.Of(buffers.Values.AsSpan(0, n), buffers.Ranks);
        for (int i = 0; i < n; i++) ranks[buffers.Heads[i]] = buffers.Ranks[i];
    }

    private sealed class RankBuffers(int heads)
    {
        public readonly int[] Heads = new int[heads];
        public readonly double[] Values = new double[heads];
        public readonly float[] Ranks = new float[heads];
        public readonly AverageRank Ranker = new(heads);
    }

    // the columns of m (rows × columns) as rows, in square blocks (each block's rows and columns stay in cache); blocks of
    // columns in parallel
    private static T[][] Transpose<T>(T[][] m, int columns, int threads)
    {
        int rows = m.Length;
        var t = Matrix<T>(columns, rows);
        int blocks = (columns + TransposeBlock - 1) / TransposeBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, block =>
        {
            int c0 = block * TransposeBlock, c1 = Math.Min(columns, c0 + TransposeBlock);
            for (int r0 = 0; r0 < rows; r0 += TransposeBlock)
            {
                int r1 = Math.Min(rows, r0 + TransposeBlock);
                for (int r = r0; r < r1; r++)
                {
                    var row = m[r];
                    for (int c = c0; c < c1; c++) t[c][r] = row[c];
                }
            }
        });
        return t;
    }

    private static T[][] Matrix<T>(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new T[columns]).ToArray();
}
