using TorchSharp;
using static TorchSharp.torch;

namespace Vhw.Transform.Kernels;

/// <summary>Every head's bootstrap sums of one metric: Sums[r][h] = Σ_s w(r, s) × value(s, h), Weights[r][h] = Σ_s w(r, s) over the samples holding a value.</summary>
internal sealed record ReplicateSums(double[][] Sums, double[][] Weights);

/// <summary>
/// The weighted sums of the Poisson bootstrap over samples (paper-method: the intervals of the weight–concentration
/// correlation, weight_concentration_corr) are a matrix product, (replicates × samples) · (samples × heads): one float64
/// GEMM of libtorch (TorchSharp, the library ingest already runs on; MKL inside) over both metrics side by side. The
/// hand-tiled SIMD loop it replaced ran at 22 GFMA/s on this machine's 2 cores, the GEMM at 40–75 (the phase at 250M
/// facts and 1000 replicates: 21–24 s → 13–15 s; BENCHMARKS.md). The weights are small integers, so the per-head
/// weights (a second product with the 0/1 presence matrix, or the replicate's total where every head holds a value) are
/// exact; the sums are exact to rounding, in the order the BLAS blocks them.
/// </summary>
internal static class ReplicateSumsKernel
{
    /// <param name="order">The run's slots in (layer, head) order: a head's column of the product. The slots follow the
    /// order the facts arrived in, which DuckDB's parallel scan does not fix; a BLAS does not promise the same rounding
    /// for a column wherever it sits (libtorch's MKL here gave the same bits under a column permutation, measured at
    /// 1000 × 3051 × 2048), so each head keeps its column from build to build.</param>
    public static (ReplicateSums Fraction, ReplicateSums Concentration) Multiply(RunFacts run, int replicates, int[] order, int threads)
    {
        int heads = run.Heads.Count, samples = run.Samples;
        if (order.Length != heads) throw new ArgumentException($"order names {order.Length} of the run's {heads} heads", nameof(order));
        using var scope = NewDisposeScope();
        using var _ = new TorchThreads(threads);
        // W: replicates × samples, a view of the sample-major lists (the product reads it transposed, no copy)
        var sampleMajor = run.SampleMajorWeights(replicates);
        var weights = tensor(sampleMajor, [samples, replicates], ScalarType.Byte).to(ScalarType.Float64).t();
        var values = tensor(SideBySide(run.Fraction, run.Concentration, samples, order), [samples, 2L * heads], ScalarType.Float64);
        var product = Flat(weights.matmul(values)); // replicates × (2 × heads), row-major
        var totals = Flat(weights.sum(1));
        return (Result(run.Fraction, product, 0, order, weights, sampleMajor, totals),
            Result(run.Concentration, product, heads, order, weights, sampleMajor, totals));
    }

    // One metric's sums (its columns of the product) and weights. Where every head holds exactly one value per sample (the
    // usual case) a head's weight is the replicate's total; otherwise the product of the weights with the 0/1 presence.
    private static ReplicateSums Result(SampleMajorMetric metric, double[] product, int column, int[] order, Tensor weights,
        byte[] sampleMajor, double[] totals)
    {
        int replicates = totals.Length, samples = metric.Samples, heads = order.Length, width = 2 * heads;
        var sums = Enumerable.Range(0, replicates).Select(r =>
        {
            var bySlot = new double[heads];
            for (int p = 0; p < heads; p++) bySlot[order[p]] = product[r * width + column + p];
            return bySlot;
        }).ToArray();
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
        foreach (var (sample, slot, value) in metric.Extra) // second values of a sample and head (the metric is not complete then)
            for (int r = 0; r < replicates; r++)
            {
                double weight = sampleMajor[sample * replicates + r];
                sums[r][slot] += weight * value;
                perHead[r][slot] += weight;
            }
        return new ReplicateSums(sums, perHead);
    }

    // the two metrics' rows side by side, one row of 2 × heads per sample, heads in the given order (zeros where a sample
    // has none)
    private static double[] SideBySide(SampleMajorMetric a, SampleMajorMetric b, int samples, int[] order)
    {
        int heads = order.Length;
        var x = new double[(long)samples * 2 * heads];
        for (int s = 0; s < samples; s++)
        {
            var row = x.AsSpan(s * 2 * heads, 2 * heads);
            if (a.Values(s) is { } va) for (int p = 0; p < heads; p++) row[p] = va[order[p]];
            if (b.Values(s) is { } vb) for (int p = 0; p < heads; p++) row[heads + p] = vb[order[p]];
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
