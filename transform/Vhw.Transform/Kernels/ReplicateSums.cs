using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Vhw.Transform.Kernels;

/// <summary>Every head's bootstrap sums of one metric: Sums[r][h] = Σ_s w(r, s) × value(s, h), Weights[r][h] = Σ_s w(r, s) over the samples holding a value.</summary>
internal sealed record ReplicateSums(double[][] Sums, double[][] Weights);

/// <summary>
/// The weighted sums of the Poisson bootstrap over samples (paper-method: the intervals of the weight–concentration
/// correlation, weight_concentration_corr): (replicates × samples) · (samples × heads), a matrix product. It is tiled
/// for registers: a tile of <see cref="TileReplicates"/> replicates × <see cref="TileVectors"/> SIMD vectors of heads keeps
/// its sums in registers over all samples. The tile's heads of every sample are first copied into one contiguous buffer
/// (as BLAS packs a panel), which stays in L2 while the replicate tiles stream through it. Tiles of heads run in parallel.
/// Heads beyond the last full tile, and weights of metrics where some sample lacks a head's value, take plain loops.
/// </summary>
internal static class ReplicateSumsKernel
{
    private const int TileReplicates = 4;
    private const int TileVectors = 4;

    public static (ReplicateSums Fraction, ReplicateSums Concentration) Multiply(RunFacts run, int replicates, int threads)
    {
        int heads = run.Heads.Count;
        var weights = run.ReplicateWeights(replicates, threads);
        return (Sums(run.Fraction, run.Samples, heads, weights, threads), Sums(run.Concentration, run.Samples, heads, weights, threads));
    }

    // One metric's sums and weights. Where every head holds exactly one value per sample (the usual case) a head's weight
    // is the replicate's total; otherwise each replicate adds w × the sample's value counts.
    private static ReplicateSums Sums(SampleMajorMetric metric, int samples, int heads, double[][] weights, int threads)
    {
        var result = new ReplicateSums(Matrix(weights.Length, heads), Matrix(weights.Length, heads));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        var rows = Enumerable.Range(0, samples).Select(metric.Values).ToArray();
        MultiplyInto(rows, weights, samples, heads, result.Sums, options);
        bool complete = metric.IsComplete(heads);
        Parallel.For(0, weights.Length, options, r =>
        {
            var w = weights[r].AsSpan(0, samples);
            if (complete)
            {
                result.Weights[r].AsSpan().Fill(TensorPrimitives.Sum(w));
                return;
            }
            var total = result.Weights[r];
            for (int s = 0; s < samples; s++)
                if (w[s] != 0 && metric.Present(s) is { } present)
                    for (int h = 0; h < heads; h++)
                        total[h] += w[s] * present[h];
        });
        foreach (var (sample, slot, value) in metric.Extra) // second values of a sample and head (the metric is not complete then)
            for (int r = 0; r < weights.Length; r++)
            {
                result.Sums[r][slot] += weights[r][sample] * value;
                result.Weights[r][slot] += weights[r][sample];
            }
        return result;
    }

    /// <summary>
    /// sums[r][h] = Σ_s weights[r][s] × rows[s][h] for s &lt; samples, h &lt; heads (a null row adds nothing; rows hold at
    /// least <paramref name="heads"/> values, weights at least <paramref name="samples"/>). Samples are added in order.
    /// </summary>
    internal static void MultiplyInto(double[]?[] rows, double[][] weights, int samples, int heads, double[][] sums, ParallelOptions options)
    {
        int width = TileVectors * Vector<double>.Count;
        int fullTiles = heads / width;
        var zeros = new double[samples]; // the weights of the replicates that pad the last replicate tile
        Parallel.For(0, fullTiles + 1, options, () => new double[samples * width], (tile, _, packed) =>
        {
            int first = tile * width;
            if (tile < fullTiles)
            {
                // the tile's heads of every sample, contiguous (a missing sample adds zeros): the replicate tiles stream
                // through them instead of touching one page per sample
                for (int s = 0; s < samples; s++)
                {
                    var column = packed.AsSpan(s * width, width);
                    if (rows[s] is { } row) row.AsSpan(first, width).CopyTo(column);
                    else column.Clear();
                }
                for (int r0 = 0; r0 < weights.Length; r0 += TileReplicates)
                    Tile(packed, weights, zeros, samples, first, r0, sums);
            }
            else
            {
                for (int r = 0; r < weights.Length; r++)
                    Remainder(rows, weights[r], samples, first, heads, sums[r]);
            }
            return packed;
        }, _ => { });
    }

    // The sums of replicates r0..r0+3 over heads first..first+width-1, held in 16 vector registers across all samples
    // (packed: the samples' values of those heads, one row of width after another).
    private static void Tile(double[] packed, double[][] weights, double[] zeros, int samples, int first, int r0, double[][] sums)
    {
        int n = weights.Length;
        double[] w0 = weights[r0], w1 = r0 + 1 < n ? weights[r0 + 1] : zeros, w2 = r0 + 2 < n ? weights[r0 + 2] : zeros,
            w3 = r0 + 3 < n ? weights[r0 + 3] : zeros;
        int v = Vector<double>.Count, width = TileVectors * v;
        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default,
            a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        ref double x = ref MemoryMarshal.GetArrayDataReference(packed);
        for (int s = 0; s < samples; s++)
        {
            nuint at = (nuint)(s * width);
            Vector<double> x0 = Vector.LoadUnsafe(ref x, at), x1 = Vector.LoadUnsafe(ref x, at + (nuint)v),
                x2 = Vector.LoadUnsafe(ref x, at + (nuint)(2 * v)), x3 = Vector.LoadUnsafe(ref x, at + (nuint)(3 * v));
            var b = new Vector<double>(w0[s]);
            a00 = Vector.FusedMultiplyAdd(x0, b, a00); a01 = Vector.FusedMultiplyAdd(x1, b, a01); a02 = Vector.FusedMultiplyAdd(x2, b, a02); a03 = Vector.FusedMultiplyAdd(x3, b, a03);
            b = new Vector<double>(w1[s]);
            a10 = Vector.FusedMultiplyAdd(x0, b, a10); a11 = Vector.FusedMultiplyAdd(x1, b, a11); a12 = Vector.FusedMultiplyAdd(x2, b, a12); a13 = Vector.FusedMultiplyAdd(x3, b, a13);
            b = new Vector<double>(w2[s]);
            a20 = Vector.FusedMultiplyAdd(x0, b, a20); a21 = Vector.FusedMultiplyAdd(x1, b, a21); a22 = Vector.FusedMultiplyAdd(x2, b, a22); a23 = Vector.FusedMultiplyAdd(x3, b, a23);
            b = new Vector<double>(w3[s]);
            a30 = Vector.FusedMultiplyAdd(x0, b, a30); a31 = Vector.FusedMultiplyAdd(x1, b, a31); a32 = Vector.FusedMultiplyAdd(x2, b, a32); a33 = Vector.FusedMultiplyAdd(x3, b, a33);
        }
        nuint o0 = (nuint)first, o1 = (nuint)(first + v), o2 = (nuint)(first + 2 * v), o3 = (nuint)(first + 3 * v);
        Store(sums[r0], a00, a01, a02, a03, o0, o1, o2, o3);
        if (r0 + 1 < n) Store(sums[r0 + 1], a10, a11, a12, a13, o0, o1, o2, o3);
        if (r0 + 2 < n) Store(sums[r0 + 2], a20, a21, a22, a23, o0, o1, o2, o3);
        if (r0 + 3 < n) Store(sums[r0 + 3], a30, a31, a32, a33, o0, o1, o2, o3);
    }

    private static void Store(double[] sums, Vector<double> a0, Vector<double> a1, Vector<double> a2, Vector<double> a3, nuint o0, nuint o1, nuint o2, nuint o3)
    {
        ref double d = ref MemoryMarshal.GetArrayDataReference(sums);
        a0.StoreUnsafe(ref d, o0); a1.StoreUnsafe(ref d, o1); a2.StoreUnsafe(ref d, o2); a3.StoreUnsafe(ref d, o3);
    }

    // heads first..heads-1 of one replicate, sample by sample (fewer heads than a tile)
    private static void Remainder(double[]?[] rows, double[] weights, int samples, int first, int heads, double[] sums)
    {
        for (int s = 0; s < samples; s++)
        {
            if (rows[s] is not { } row) continue;
            for (int h = first; h < heads; h++)
                sums[h] = Math.FusedMultiplyAdd(row[h], weights[s], sums[h]);
        }
    }

    private static double[][] Matrix(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new double[columns]).ToArray();
}
