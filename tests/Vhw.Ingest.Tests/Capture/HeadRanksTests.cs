using System.Globalization;
using Vhw.Ingest.Capture;
using Vhw.Ingest.Tests.EndToEnd;

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

    [Fact]
    public void Ranks_equal_the_order_of_schema_sql_fallback_in_duckdb_including_nan_and_signed_zero()
    {
        // 3 layers × 4 heads with ties, NaNs (DuckDB sorts NaN above every number), -0 and 0, 1 and 0
        float[] fractions = [0.5f, float.NaN, 0f, -0f, 0.5f, 1f, float.NaN, 0.25f, 0f, 1f, 0.5f, 0.125f];
        short[] ranks = HeadRanks.ByImageFraction(fractions);
        string values = string.Join(", ", fractions.Select((f, i) =>
            $"({i / 4}, {i % 4}, cast('{f.ToString("R", CultureInfo.InvariantCulture)}' as float))"));
        // the ORDER BY of schema.sql's head_facts view for parts without a stored image_rank
        var rows = Duck.Query(Path.GetTempPath(), $"""
            select layer, head, row_number() over (order by image_fraction desc nulls last, layer, head)
            from (values {values}) as t(layer, head, image_fraction)
            """, withSchema: false);
        Assert.Equal(fractions.Length, rows.Count);
        foreach (var row in rows)
        {
            int index = Convert.ToInt32(row[0], CultureInfo.InvariantCulture) * 4 + Convert.ToInt32(row[1], CultureInfo.InvariantCulture);
            Assert.Equal(Convert.ToInt64(row[2], CultureInfo.InvariantCulture), ranks[index]);
        }
        Assert.Equal(1, ranks[1]); // the first NaN
    }
}
