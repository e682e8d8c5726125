using Vhw.Transform.Kernels;

namespace Vhw.Transform.Tests;

/// <summary>The kernel's register-tiled bootstrap sums against the plain triple loop.</summary>
public sealed class ReplicateSumsTests
{
    [Fact]
    public void Tiled_sums_equal_the_plain_triple_loop_for_any_number_of_heads_replicates_and_missing_samples()
    {
        var random = new Random(11);
        int width = 4 * System.Numerics.Vector<double>.Count; // heads in one register tile
        foreach (var (samples, heads, replicates) in new[] { (37, 3 * width + 2, 7), (5, width - 1, 1), (64, 2 * width, 9), (1, width, 4) })
        {
            // rows longer than heads (as the kernel's grow), a missing sample, weights 0..3 as Poisson(1) draws give
            var rows = Enumerable.Range(0, samples).Select(s => s % 5 == 3 ? null
                : Enumerable.Range(0, heads + 3).Select(_ => random.NextDouble()).ToArray()).ToArray();
            var weights = Enumerable.Range(0, replicates).Select(_ =>
                Enumerable.Range(0, samples + 2).Select(_ => (double)random.Next(4)).ToArray()).ToArray();
            var sums = Enumerable.Range(0, replicates).Select(_ => new double[heads]).ToArray();
            ReplicateSumsKernel.MultiplyInto(rows, weights, samples, heads, sums, new ParallelOptions { MaxDegreeOfParallelism = 2 });
            for (int r = 0; r < replicates; r++)
                for (int h = 0; h < heads; h++)
                {
                    double expected = 0;
                    for (int s = 0; s < samples; s++)
                        if (rows[s] is { } row) expected += weights[r][s] * row[h];
                    Assert.True(Math.Abs(expected - sums[r][h]) < 1e-12, $"{samples}×{heads}×{replicates}: sum [{r}][{h}] {sums[r][h]} != {expected}");
                }
            Assert.Contains(sums, row => row.Any(v => v > 0));
        }
    }

    [Fact]
    public void Replicate_weights_transpose_the_sample_lists_with_zeros_for_short_lists_and_missing_samples()
    {
        var run = new RunFacts();
        var random = new Random(5);
        int replicates = 150; // more than two blocks of the transpose
        var lists = new Dictionary<int, byte[]>();
        foreach (int sample in new[] { 0, 1, 3, 6, 4 }) // 2 and 5 never arrive; samples arrive out of order
        {
            lists[sample] = Enumerable.Range(0, sample == 3 ? 70 : replicates).Select(_ => (byte)random.Next(5)).ToArray();
            run.SetWeights(sample, lists[sample]);
        }
        Assert.Equal(7, run.Samples);
        Assert.Equal(replicates, run.Replicates);
        var w = run.ReplicateWeights(replicates + 3, threads: 2);
        Assert.Equal(replicates + 3, w.Length);
        for (int r = 0; r < w.Length; r++)
        {
            Assert.Equal(7, w[r].Length);
            for (int s = 0; s < 7; s++)
                Assert.Equal(lists.TryGetValue(s, out var l) && r < l.Length ? l[r] : 0.0, w[r][s]);
        }
    }
}
