using Vhw.Ingest.Capture;

namespace Vhw.Ingest.Tests.Capture;

public sealed class HeadRanksTests
{
    [Fact]
    public void Ranks_by_image_fraction_descending_with_ties_broken_by_layer_then_head()
    {
        // 2 layers × 3 heads, layer-major: (0,0) (0,1) (0,2) (1,0) (1,1) (1,2)
        float[] fractions = [0.2f, 0.9f, 0.2f, 0.5f, 0.9f, 0f];
        short[] ranks = HeadRanks.ByImageFraction(fractions);
        // 0.9 at (0,1) before (1,1); 0.5; 0.2 at (0,0) before (0,2); 0
        Assert.Equal(new short[] { 4, 1, 5, 3, 2, 6 }, ranks);
    }

    [Fact]
    public void Ranks_are_a_permutation_that_orders_the_fractions()
    {
        var rng = new Random(5);
        // quantised values force many ties
        float[] fractions = Enumerable.Range(0, 1024).Select(_ => MathF.Round((float)rng.NextDouble() * 16) / 16).ToArray();
        short[] ranks = HeadRanks.ByImageFraction(fractions);
        Assert.Equal(Enumerable.Range(1, 1024), ranks.Select(r => (int)r).Order());
        var byRank = Enumerable.Range(0, 1024).OrderBy(i => ranks[i]).ToArray();
        for (int r = 1; r < byRank.Length; r++)
        {
            int a = byRank[r - 1], b = byRank[r];
            Assert.True(fractions[a] > fractions[b] || (fractions[a] == fractions[b] && a < b), $"rank {r} at head index {a}, rank {r + 1} at {b}");
        }
    }
}
