using Vhw.Ingest.Capture;

namespace Vhw.Ingest.Tests.Capture;

public sealed class HeadStatsTests
{
    /// <summary>
    /// Naive reference written independently of HeadStats: H = ln a_S − (Σ A_j ln A_j) / a_S, which is
    /// algebraically −Σ p_j ln p_j with p_j = A_j / a_S, computed without normalising first.
    /// </summary>
    internal static (double mass, double entropy, double conc, double top1) Naive(float[] row, int[] set)
    {
        double mass = set.Sum(j => (double)row[j]);
        double sumALogA = set.Where(j => row[j] > 0).Sum(j => row[j] * Math.Log(row[j]));
        double h = Math.Log(mass) - sumALogA / mass;
        double conc = set.Length == 1 ? 1 : 1 - h / Math.Log(set.Length);
        return (mass, h, conc, set.Max(j => (double)row[j]) / mass);
    }

    static float[] Softmax(double[] logits)
    {
        double m = logits.Max();
        var e = logits.Select(x => Math.Exp(x - m)).ToArray();
        double z = e.Sum();
        return e.Select(x => (float)(x / z)).ToArray();
    }

    [Fact]
    public void Uniform_attention_over_the_set_has_zero_concentration_and_one_hot_has_one()
    {
        var uniform = Enumerable.Repeat(0.1f, 10).ToArray();
        var s = HeadStats.Of(uniform, TokenSet.Range(2, 5));
        Assert.Equal(0.5f, s.Fraction, 6);
        Assert.Equal(Math.Log(5), s.Entropy!.Value, 5);
        Assert.Equal(0f, s.Concentration!.Value, 5);
        Assert.Equal(0.2f, s.Top1Share!.Value, 6);

        var oneHot = new float[10];
        oneHot[3] = 0.7f; oneHot[0] = 0.3f;
        var h = HeadStats.Of(oneHot, TokenSet.Range(2, 5));
        Assert.Equal(0.7f, h.Fraction, 6);
        Assert.Equal(0f, h.Entropy!.Value, 6);
        Assert.Equal(1f, h.Concentration!.Value, 6);
        Assert.Equal(1f, h.Top1Share!.Value, 6);
    }

    [Fact]
    public void Empty_or_massless_sets_give_nulls_and_single_token_sets_are_fully_concentrated()
    {
        var row = new float[] { 0.5f, 0.5f, 0f };
        Assert.Null(HeadStats.Of(row, TokenSet.Of(Array.Empty<int>())).Entropy);
        var massless = HeadStats.Of(row, TokenSet.Of(new[] { 2 }));
        Assert.Equal(0f, massless.Fraction);
        Assert.Null(massless.Concentration);
        Assert.Equal(1f, HeadStats.Of(row, TokenSet.Of(new[] { 1 })).Concentration);
    }

    [Fact]
    public void Random_rows_agree_with_the_naive_reference()
    {
        var rng = new Random(20250611);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.Next(3, 700);
            var row = Softmax(Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 12 - 6).ToArray());
            int start = rng.Next(0, n - 1), count = rng.Next(1, n - start);
            var spans = TokenSpans.For(n, start, count, count > 4 ? new[] { 0, 1, count - 1 } : null);

            foreach (var set in new[] { spans.Image, spans.Text, spans.Region }.Where(s => s is { Count: > 0 }))
            {
                var got = HeadStats.Of(row, set!);
                var want = Naive(row, set!.ToArray());
                Assert.Equal(want.mass, got.Fraction, 5);
                Assert.Equal(want.entropy, got.Entropy!.Value, 4);
                Assert.Equal(want.conc, got.Concentration!.Value, 4);
                Assert.Equal(want.top1, got.Top1Share!.Value, 5);
            }
            var img = HeadStats.Of(row, spans.Image).Fraction;
            var txt = HeadStats.Of(row, spans.Text).Fraction;
            Assert.Equal(1.0, img + txt, 4);
        }
    }

    [Fact]
    public void Token_spans_partition_the_keys_and_map_region_patches_into_the_image_span()
    {
        var spans = TokenSpans.For(keyCount: 30, imageStart: 5, imageTokenCount: 16, regionPatches: new[] { 0, 5, 15 });
        Assert.Equal(16, spans.Image.Count);
        Assert.Equal(14, spans.Text.Count);
        Assert.Equal(new[] { 5, 10, 20 }, spans.Region!.ToArray());
        Assert.All(spans.Region!, p => Assert.True(spans.Image.Contains(p)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSpans.For(30, 5, 16, new[] { 16 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSpans.For(20, 5, 16, null));
    }
}
