using System.Numerics.Tensors;

namespace Vhw.Transform.Kernels;

/// <summary>Every head's bootstrap sums of one metric: Sums[r][h] = Σ_s w(r, s) × value(s, h), Weights[r][h] = Σ_s w(r, s) over the samples holding a value.</summary>
internal sealed record ReplicateSums(double[][] Sums, double[][] Weights);

/// <summary>
/// The weighted sums of the Poisson bootstrap over samples (paper-method: the intervals of the weight–concentration
/// correlation, weight_concentration_corr): (replicates × samples) · (samples × heads). A sample's row of every head is
/// added, times its weight, to the rows of a block of replicates, so each row is read once per block; blocks run in
/// parallel; a weight of 0 (a sample the replicate does not draw) adds nothing.
/// </summary>
internal static class ReplicateSumsKernel
{
    // Replicates whose sums are accumulated together while a sample's row is in cache.
    private const int ReplicateBlock = 8;

    public static (ReplicateSums Fraction, ReplicateSums Concentration) Multiply(RunFacts run, int replicates, int threads)
    {
        int heads = run.Heads.Count;
        var fraction = new ReplicateSums(Matrix(replicates, heads), Matrix(replicates, heads));
        var concentration = new ReplicateSums(Matrix(replicates, heads), Matrix(replicates, heads));
        // where every head holds exactly one value per sample (the usual case) a head's weight is the replicate's total
        bool fractionComplete = run.Fraction.IsComplete(heads), concentrationComplete = run.Concentration.IsComplete(heads);
        int blocks = (run.Weights.Count + ReplicateBlock - 1) / ReplicateBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, block =>
        {
            int first = block * ReplicateBlock, last = Math.Min(run.Weights.Count, first + ReplicateBlock);
            for (int s = 0; s < run.Samples; s++)
            {
                for (int r = first; r < last; r++)
                {
                    double w = run.Weights[r][s];
                    if (w == 0) continue;
                    AddTimes(run.Fraction, s, w, fraction.Sums[r], fractionComplete ? null : fraction.Weights[r]);
                    AddTimes(run.Concentration, s, w, concentration.Sums[r], concentrationComplete ? null : concentration.Weights[r]);
                }
            }
            for (int r = first; r < last; r++)
            {
                double total = TensorPrimitives.Sum(run.WeightsOf(r));
                if (fractionComplete) fraction.Weights[r].AsSpan().Fill(total);
                if (concentrationComplete) concentration.Weights[r].AsSpan().Fill(total);
            }
        });
        AddExtra(run, run.Fraction, fraction);
        AddExtra(run, run.Concentration, concentration);
        return (fraction, concentration);
    }

    // sums += w × the sample's values; weights (unless null) += w × its value counts
    private static void AddTimes(SampleMajorMetric metric, int sample, double w, double[] sums, double[]? weights)
    {
        int n = sums.Length;
        if (metric.Values(sample) is { } values)
            TensorPrimitives.MultiplyAdd(values.AsSpan(0, n), w, sums, sums);
        if (weights is not null && metric.Present(sample) is { } present)
            for (int h = 0; h < n; h++)
                weights[h] += w * present[h];
    }

    // second values of a sample and head: their sums and weights (the metric is not complete then)
    private static void AddExtra(RunFacts run, SampleMajorMetric metric, ReplicateSums sums)
    {
        foreach (var (sample, slot, value) in metric.Extra)
            for (int r = 0; r < run.Weights.Count; r++)
            {
                sums.Sums[r][slot] += run.Weights[r][sample] * value;
                sums.Weights[r][slot] += run.Weights[r][sample];
            }
    }

    private static double[][] Matrix(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new double[columns]).ToArray();
}
