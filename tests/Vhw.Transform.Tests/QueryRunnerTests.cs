namespace Vhw.Transform.Tests;

public sealed class QueryRunnerTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_named_queries_are_embedded_and_return_rows()
    {
        string[] analytics = ["stage_distribution", "switching_visual_heads", "top_visual_heads", "weight_vs_concentration"];
        Assert.Equal(analytics, QueryRunner.NamedQueries.Where(analytics.Contains));
        using var q = new QueryRunner(w.Root);
        foreach (string name in analytics)
            Assert.NotEmpty(q.RunNamed(name, Ct).Rows);
    }

    [Fact]
    public void Top_visual_heads_lists_ranks_1_to_10_per_model_benchmark_and_query_kind()
    {
        using var q = new QueryRunner(w.Root);
        var top = q.RunNamed("top_visual_heads", Ct);
        Assert.Equal(70, top.Rows.Count);
        Assert.All(top.Rows, r => Assert.InRange(WarehouseFixture.Int(top, r, "rank"), 1, 10));
        Assert.Contains("detection_score", top.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Visual_heads_by_stage_shares_sum_to_one_per_model_and_query_kind()
    {
        using var q = new QueryRunner(w.Root);
        var d = q.RunNamed("stage_distribution", Ct);
        foreach (var g in d.Rows.GroupBy(r => (WarehouseFixture.Str(d, r, "model"), WarehouseFixture.Str(d, r, "query_kind"))))
        {
            Assert.Equal(3, g.Count());
            Approx.Equal(1.0, g.Sum(r => WarehouseFixture.Dbl(d, r, "top_head_share")), $"top_head_share {g.Key}");
            Approx.Equal(1.0, g.Sum(r => WarehouseFixture.Dbl(d, r, "stage_head_share")), $"stage_head_share {g.Key}");
        }
    }

    [Fact]
    public void Opens_the_warehouse_read_only_by_default()
    {
        using var q = new QueryRunner(w.Root);
        var e = Assert.ThrowsAny<Exception>(() => q.Run("create table scribble as select 1 as x", Ct));
        Assert.Contains("read-only", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(q.Run("select * from duckdb_tables() where table_name = 'scribble'", Ct).Rows);
    }

    [Fact]
    public void Arbitrary_sql_sees_marts_and_raw_views_and_errors_are_clear()
    {
        using var q = new QueryRunner(w.Root);
        var r = q.Run("select 1 as one; select count(*) as n from stg_head_facts", Ct);
        Assert.Equal("n", Assert.Single(r.Columns).Name);
        Assert.Equal((long)w.Facts.Count, Convert.ToInt64(r.Rows[0][0]));
        Assert.Throws<ArgumentException>(() => q.RunNamed("no_such_query", Ct));
        var missing = Assert.Throws<FileNotFoundException>(() => new QueryRunner(Path.Combine(w.Root, "nope")));
        Assert.Contains("run `vhw transform` first", missing.Message);
    }
}
