using TorchSharp;
using static TorchSharp.torch;

namespace Vhw.Transform.Kernels;

/// <summary>Every head's bootstrap sums of one metric: Sums[r][h] = Σ_s w(r, s) × value(s, h), Weights[r][h] = Σ_s w(r, s) over the samples holding a value.</summary>
internal sealed record ReplicateSums(double[][] Sums, double[][] Weights);

/// <summary>
/// The weighted sums of the Poisson bootstrap over samples (paper-method: the intervals of the weight–concentration
/// correlation, weight_concentration_corr) are a matrix product, (replicates × samples) · (samples × heads): one float64
/// GEMM of libtorch (TorchSharp, the library ingest already runs on) over both metrics side by side, at two to three times
/// the speed of the register-tiled loop it replaced (BENCHMARKS.md). The weights are small integers, so the per-head
/// weights (a second product with the 0/1 presence matrix, or the replicate's total where every head holds a value) are
/// exact; the sums are exact to rounding, in the order the BLAS blocks them.
/// </summary>
internal static class ReplicateSumsKernel
{
    public static (ReplicateSums Fraction, ReplicateSums Concentration) Multiply(RunFacts run, int replicates, int threads)
    {
        int heads = run.Heads.Count, samples = run.Samples;
        using var scope = NewDisposeScope();
        using var _ = new TorchThreads(threads);
        // W: replicates × samples, a view of the sample-major lists (the product reads it transposed, no copy)
        var weights = tensor(run.SampleMajorWeights(replicates), [samples, replicates], ScalarType.Byte).to(ScalarType.Float64).t();
        var values = tensor(SideBySide(run.Fraction, run.Concentration, samples, heads), [samples, 2L * heads], ScalarType.Float64);
        var sums = Rows(weights.matmul(values), replicates, 2 * heads);
        var totals = Flat(weights.sum(1));
        return (Result(run.Fraction, sums, 0, heads, weights, totals), Result(run.Concentration, sums, heads, heads, weights, totals));
    }

    // One metric's sums (its columns of the product) and weights. Where every head holds exactly one value per sample (the
    // usual case) a head's weight is the replicate's total; otherwise the product of the weights with the 0/1 presence.
    private static ReplicateSums Result(SampleMajorMetric metric, double[][] product, int column, int heads, Tensor weights, double[] totals)
    {
        int replicates = product.Length, samples = metric.Samples;
        var sums = product.Select(row => row.AsSpan(column, heads).ToArray()).ToArray();
        double[][] perHead;
        if (metric.IsComplete(heads))
        {
            perHead = totals.Select(total => Enumerable.Repeat(total, heads).ToArray()).ToArray();
        }
        else
        {
            var present = new double[samples * heads];
            for (int s = 0; s < samples; s++)
                if (metric.Present(s) is { } p)
                    for (int h = 0; h < heads; h++) present[s * heads + h] = p[h];
            perHead = Rows(weights.matmul(tensor(present, [samples, heads], ScalarType.Float64)), replicates, heads);
        }
        var w = metric.Extra.Count > 0 ? Flat(weights.t()) : []; // sample-major: the second values' weights
        foreach (var (sample, slot, value) in metric.Extra) // second values of a sample and head (the metric is not complete then)
            for (int r = 0; r < replicates; r++)
            {
                double weight = w[sample * replicates + r];
                sums[r][slot] += weight * value;
                perHead[r][slot] += weight;
            }
        return new ReplicateSums(sums, perHead);
    }

    // the two metrics' rows side by side, one row of 2 × heads per sample (zeros where a sample has none)
    private static double[] SideBySide(SampleMajorMetric a, SampleMajorMetric b, int samples, int heads)
    {
        var x = new double[(long)samples * 2 * heads];
        for (int s = 0; s < samples; s++)
        {
            a.Values(s)?.AsSpan(0, heads).CopyTo(x.AsSpan(s * 2 * heads, heads));
            b.Values(s)?.AsSpan(0, heads).CopyTo(x.AsSpan(s * 2 * heads + heads, heads));
        }
        return x;
    }

    private static double[][] Rows(Tensor matrix, int rows, int columns)
    {
        var flat = Flat(matrix);
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * columns, columns).ToArray()).ToArray();
    }

    // a float64 tensor's values in row-major order, copied from its storage in one block (the element accessor's
    // ToArray took 40–100 ms per 2M values)
    private static double[] Flat(Tensor matrix)
    {
        using var contiguous = matrix.contiguous();
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(contiguous.bytes).ToArray();
    }

    /// <summary>libtorch's intra-op threads set for the product and restored after it (the setting is per process).</summary>
    private readonly struct TorchThreads : IDisposable
    {
        private readonly int _before;

        public TorchThreads(int threads)
        {
            _before = get_num_threads();
            set_num_threads(Math.Max(1, threads));
        }

        public void Dispose() => set_num_threads(_before);
    }
}
