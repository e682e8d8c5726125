using Vhw.Transform.Kernels;

namespace Vhw.Transform.Tests;

/// <summary>The kernel's bootstrap sums (one libtorch product over both metrics) against the plain triple loop.</summary>
public sealed class ReplicateSumsTests
{
    [Fact]
    public void Sums_and_weights_equal_the_plain_triple_loop_with_missing_values_second_values_and_short_weight_lists()
    {
        var random = new Random(11);
        foreach (var (samples, heads, replicates, complete) in new[] { (37, 70, 7, false), (5, 15, 1, true), (64, 32, 9, false), (1, 16, 4, true), (40, 9, 12, true) })
        {
            var run = new RunFacts();
            var lists = new byte[samples][];
            for (int s = 0; s < samples; s++)
            {
                // weights 0..3 as Poisson(1) draws give; some lists end early (weight 0 beyond), one sample has none
                if (!complete && s == samples / 2) { lists[s] = []; continue; }
                lists[s] = Enumerable.Range(0, s % 4 == 1 ? replicates / 2 : replicates).Select(_ => (byte)random.Next(4)).ToArray();
                run.SetWeights(s, lists[s]);
            }
            // (sample, layer, head, fraction, concentration): every head of every sample, or with holes and second values
            var facts = new List<(int Sample, int Head, double Fraction, double Concentration)>();
            for (int s = 0; s < samples; s++)
                for (int h = 0; h < heads; h++)
                {
                    if (!complete && (s * 7 + h) % 5 == 0) continue; // a missing fact
                    facts.Add((s, h, random.NextDouble(), random.NextDouble()));
                    if (!complete && (s + h) % 11 == 0) facts.Add((s, h, random.NextDouble(), random.NextDouble())); // listed twice
                }
            var slotOf = new Dictionary<int, int>(); // slots follow the heads' first arrival, not their numbering
            foreach (var (s, h, f, c) in facts)
            {
                int slot = slotOf[h] = run.Slot(h / 4, h % 4);
                run.Fraction.Add(s, slot, f);
                run.Concentration.Add(s, slot, c);
            }
            Assert.Equal(heads, run.Heads.Count);
            Assert.Equal(complete, run.Fraction.IsComplete(heads));
            // heads in (layer, head) order: the columns of the product; any order must give each slot its own sums
            var order = Enumerable.Range(0, heads).OrderBy(h => run.Heads[h].Layer).ThenBy(h => run.Heads[h].Head).ToArray();
            var (fraction, concentration) = ReplicateSumsKernel.Multiply(run, replicates, order, threads: 2);
            double Weight(int r, int s) => r < lists[s].Length ? lists[s][r] : 0;
            for (int r = 0; r < replicates; r++)
                foreach (var (head, h) in slotOf)
                {
                    double fs = 0, cs = 0, w = 0;
                    foreach (var (s, _, f, c) in facts.Where(x => x.Head == head))
                    {
                        fs += Weight(r, s) * f;
                        cs += Weight(r, s) * c;
                        w += Weight(r, s);
                    }
                    string at = $"{samples}×{heads}×{replicates}, [{r}][{h}]";
                    Assert.True(Math.Abs(fs - fraction.Sums[r][h]) < 1e-12, $"{at}: fraction sum {fraction.Sums[r][h]} != {fs}");
                    Assert.True(Math.Abs(cs - concentration.Sums[r][h]) < 1e-12, $"{at}: concentration sum {concentration.Sums[r][h]} != {cs}");
                    Assert.Equal(w, fraction.Weights[r][h]); // integers: exact
                    Assert.Equal(w, concentration.Weights[r][h]);
                }
            Assert.Contains(fraction.Sums, row => row.Any(v => v > 0));
        }
    }

    [Fact]
    public void A_heads_sums_have_the_same_bits_whatever_order_its_facts_arrived_in()
    {
        // DuckDB's parallel scan decides which head's fact arrives first, hence the slots; the product's columns follow
        // (layer, head), so two arrival orders of the same facts give each head the same bits
        var random = new Random(17);
        int samples = 53, layers = 5, headsPerLayer = 7, replicates = 11;
        int n = layers * headsPerLayer;
        var values = new double[samples, n, 2]; // (sample, head, fraction / concentration)
        for (int s = 0; s < samples; s++)
            for (int h = 0; h < n; h++)
                (values[s, h, 0], values[s, h, 1]) = (random.NextDouble(), random.NextDouble());
        var lists = Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, replicates).Select(_ => (byte)random.Next(4)).ToArray()).ToArray();
        Dictionary<(int, int), (double[] F, double[] C)> Sums(IEnumerable<int> headOrder)
        {
            var run = new RunFacts();
            for (int s = 0; s < samples; s++) run.SetWeights(s, lists[s]);
            var arrival = headOrder.ToArray();
            for (int s = 0; s < samples; s++)
                foreach (int h in arrival)
                {
                    int slot = run.Slot(h / headsPerLayer, h % headsPerLayer);
                    run.Fraction.Add(s, slot, values[s, h, 0]);
                    run.Concentration.Add(s, slot, values[s, h, 1]);
                }
            var order = Enumerable.Range(0, run.Heads.Count).OrderBy(h => run.Heads[h].Layer).ThenBy(h => run.Heads[h].Head).ToArray();
            var (f, c) = ReplicateSumsKernel.Multiply(run, replicates, order, threads: 2);
            return Enumerable.Range(0, run.Heads.Count).ToDictionary(slot => run.Heads[slot],
                slot => (f.Sums.Select(r => r[slot]).ToArray(), c.Sums.Select(r => r[slot]).ToArray()));
        }
        var inOrder = Sums(Enumerable.Range(0, n));
        var shuffled = Sums(Enumerable.Range(0, n).OrderBy(_ => random.Next()));
        Assert.Equal(n, inOrder.Count);
        foreach (var (head, (f, c)) in inOrder)
        {
            Assert.Equal(f, shuffled[head].F); // bit for bit: double equality
            Assert.Equal(c, shuffled[head].C);
        }
    }

    [Fact]
    public void Sample_major_weights_hold_each_list_with_zeros_for_short_lists_and_missing_samples()
    {
        var run = new RunFacts();
        var random = new Random(5);
        int replicates = 150;
        var lists = new Dictionary<int, byte[]>();
        foreach (int sample in new[] { 0, 1, 3, 6, 4 }) // 2 and 5 never arrive; samples arrive out of order
        {
            lists[sample] = Enumerable.Range(0, sample == 3 ? 70 : replicates).Select(_ => (byte)random.Next(5)).ToArray();
            run.SetWeights(sample, lists[sample]);
        }
        Assert.Equal(7, run.Samples);
        Assert.Equal(replicates, run.Replicates);
        var w = run.SampleMajorWeights(replicates + 3);
        Assert.Equal(7 * (replicates + 3), w.Length);
        for (int s = 0; s < 7; s++)
            for (int r = 0; r < replicates + 3; r++)
                Assert.Equal(lists.TryGetValue(s, out var l) && r < l.Length ? l[r] : 0, w[s * (replicates + 3) + r]);
    }
}
