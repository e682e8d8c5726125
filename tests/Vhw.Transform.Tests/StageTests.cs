namespace Vhw.Transform.Tests;

public sealed class StageTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The authors' tables, github.com/jing-bi/visual-head llava/eval/att_utils.py get_range (0-based, half-open).
    private static readonly Dictionary<int, (int FirstMiddle, int FirstLate)> AuthorsTables = new()
    {
        [32] = (10, 20),
        [40] = (13, 27),
    };

    [Theory]
    [InlineData(32)]
    [InlineData(40)]
    public void Stage_of_matches_the_authors_tables(int nLayers)
    {
        var (firstMiddle, firstLate) = AuthorsTables[nLayers];
        var expected = Enumerable.Range(0, nLayers)
            .Select(l => l < firstMiddle ? "early" : l < firstLate ? "middle" : "late").ToArray();
        Assert.Equal(expected, StagesOf(nLayers));
    }

    [Theory]
    [InlineData(12, 4, 8)]   // ceil(3.75), ceil(7.5)
    [InlineData(24, 8, 15)]  // ceil(7.5), ceil(15)
    [InlineData(28, 9, 18)]  // ceil(8.75), ceil(17.5)
    [InlineData(80, 25, 50)]
    public void Stage_of_splits_other_depths_at_ceil_10_32_and_ceil_20_32(int nLayers, int firstMiddle, int firstLate)
    {
        var expected = Enumerable.Range(0, nLayers)
            .Select(l => l < firstMiddle ? "early" : l < firstLate ? "middle" : "late").ToArray();
        Assert.Equal(expected, StagesOf(nLayers));
        Assert.Equal(expected, Enumerable.Range(0, nLayers).Select(l => Reference.Stage(l, nLayers)).ToArray());
    }

    [Fact]
    public void Stage_of_is_null_outside_the_model()
    {
        using var q = new QueryRunner(w.Root);
        var row = q.Run("select stage_of(-1, 32), stage_of(32, 32), stage_of(null, 32)", Ct).Rows[0];
        Assert.All(row, Assert.Null);
    }

    private string?[] StagesOf(int nLayers)
    {
        using var q = new QueryRunner(w.Root);
        return q.Run($"select stage_of(cast(range as integer), {nLayers}) from range({nLayers}) order by range", Ct)
            .Rows.Select(r => (string?)r[0]).ToArray();
    }
}
