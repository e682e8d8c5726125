using DuckDB.NET.Data;
using Vhw.Ingest.Ablation;
using Vhw.Modeling.Ablation;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.Ablation;

public sealed class HeadSelectionTests
{
    private static readonly ModelShape Tiny = new(4, 4);
    // a ranking that is not layer order: 3.1 best, then 0.0, 2.2, 1.3, …
    private static readonly HeadRanking Ranking = new("mean_image_fraction", "b",
        [new(3, 1), new(0, 0), new(2, 2), new(1, 3), .. Tiny.All().Except([new HeadRef(3, 1), new(0, 0), new(2, 2), new(1, 3)])]);

    [Theory]
    [InlineData("tiny-llava-vicuna", 77268456L)]   // python: int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**8
    [InlineData("llava-v1.5-7b", 95342167L)]
    [InlineData("llava-1.5-7b-hf", 45202709L)]
    public void The_model_seed_is_the_authors_sha256_mod_1e8(string model, long expected) =>
        Assert.Equal(expected, HeadSelections.ModelSeed(model));

    [Theory]
    [InlineData(0, 16, 0)]
    [InlineData(1, 16, 1)]
    [InlineData(10, 16, 2)]
    [InlineData(20, 16, 3)]
    [InlineData(1, 1024, 10)]
    [InlineData(5, 1024, 51)]
    [InlineData(10, 1024, 102)]
    [InlineData(20, 1600, 320)]
    public void Percentages_become_head_counts(double percent, int total, int expected) =>
        Assert.Equal(expected, HeadSelections.CountForPercent(percent, total));

    [Fact]
    public void Top_stage_and_list_selections_resolve_as_documented()
    {
        Assert.Equal([new HeadRef(0, 0), new(3, 1)], Resolve("top:2").Heads.Order());
        Assert.Equal(3, Resolve("top:20%").K);
        var late = Resolve("stage:late");
        Assert.Equal(Enumerable.Range(0, 4).Select(h => new HeadRef(3, h)), late.Heads);
        Assert.Null(late.Score);
        var early = Resolve("stage:early:2");
        Assert.Equal([new HeadRef(0, 0), new(1, 3)], early.Heads);
        Assert.Equal("mean_image_fraction", early.Score);
        var list = Resolve("list:2.1, 0.3,2.1");
        Assert.Equal("0.3,2.1", list.HeadList);
        Assert.Equal(list.Hash, Resolve("list:0.3,2.1").Hash);
        Assert.Empty(Resolve("baseline").Heads);
        Assert.NotEqual(Resolve("baseline").Hash, list.Hash);
    }

    [Fact]
    public void Random_draws_are_seeded_by_the_model_and_exclude_the_top_heads_of_their_scope()
    {
        var a = Resolve("random:3:0");
        Assert.Equal(a.Heads, Resolve("random:3:0").Heads);
        Assert.Equal(HeadSelections.ModelSeed("m") + 0, a.RngSeed);
        Assert.Equal(3, a.Heads.Distinct().Count());
        var draws = Enumerable.Range(0, 20).Select(d => Resolve($"random:3:{d}")).ToList();
        Assert.All(draws, d => Assert.Empty(d.Heads.Intersect(Ranking.Top(3))));
        Assert.True(draws.Select(d => d.HeadList).Distinct().Count() > 10, "20 draws of 3 of 13 heads should mostly differ");
        Assert.NotEqual(a.Heads, HeadSelections.Resolve("random:3:0", Tiny, "other-model", Ranking).Heads);

        var inLate = Resolve("random:2:5:late");
        Assert.All(inLate.Heads, h => Assert.Equal(3, h.Layer));
        Assert.DoesNotContain(new HeadRef(3, 1), inLate.Heads);                    // the late stage's best head
        Assert.Equal("late", inLate.Stage);
    }

    [Theory]
    [InlineData("top:17")]
    [InlineData("top")]
    [InlineData("random:2")]
    [InlineData("random:2:-1")]
    [InlineData("stage:final")]
    [InlineData("stage:late:5")]
    [InlineData("list:4.0")]
    [InlineData("list:1-2")]
    [InlineData("bottom:3")]
    public void Bad_selections_are_refused_with_the_spec_in_the_message(string spec)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Resolve(spec));
        Assert.Contains(spec.Split(':')[0], e.Message);
    }

    [Fact]
    public void Ranked_selections_without_scores_say_what_to_run()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HeadSelections.Resolve("top:2", Tiny, "m", null));
        Assert.Contains("vhw transform", e.Message);
        Assert.Equal(2, HeadSelections.Resolve("random:2:0", Tiny, "m", null).K);
    }

    [Fact]
    public void The_standard_sweep_of_the_tiny_model()
    {
        var specs = SweepPlan.Specs(Tiny, [1, 2, 5, 10, 20], [10, 20, 50, 100], draws: 2);
        string[] expected =
        [
            "baseline",
            "top:1", "random:1:0", "random:1:1", "stage:early:1", "stage:middle:1", "stage:late:1",
            "top:2", "random:2:0", "random:2:1", "stage:early:2", "stage:middle:2", "stage:late:2",
            "top:3", "random:3:0", "random:3:1", "stage:early:3", "stage:middle:3", "stage:late:3",
            "stage:late:4",
        ];
        Assert.Equal(expected, specs);
        var big = SweepPlan.Specs(new ModelShape(32, 32), [10], [10, 20, 50, 100], draws: 20);
        Assert.Equal(1 + 1 + 20 + 3 + 4, big.Count);
        Assert.Contains("stage:late:100", big);
        Assert.DoesNotContain("stage:late:384", big);                                // 384 late heads: no "all late" point
        var twoLayers = SweepPlan.Specs(new ModelShape(2, 8), [10], [10, 20, 50, 100], draws: 1);   // early = layer 0, middle = layer 1
        Assert.Equal(["baseline", "top:2", "random:2:0", "stage:early:2", "stage:middle:2"], twoLayers);
    }

    [Fact]
    public void The_stage_rule_equals_the_stage_of_sql_macro_for_1_to_80_layers()
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = SqlProject.Embedded.Macros.Single(m => m.Name == "stage_of").Sql;
        cmd.ExecuteNonQuery();
        cmd.CommandText = "select n, l, stage_of(l, n) from range(1, 81) a(n), range(0, 80) b(l) where l < n";
        using var r = cmd.ExecuteReader();
        int rows = 0;
        while (r.Read())
        {
            Assert.Equal(r.GetString(2), StageRule.Of((int)r.GetInt64(1), (int)r.GetInt64(0)));
            rows++;
        }
        Assert.Equal(80 * 81 / 2, rows);
        Assert.Equal(("early", "middle", "late"), (StageRule.Of(9, 32), StageRule.Of(10, 32), StageRule.Of(20, 32)));
        Assert.Equal(("early", "middle", "late"), (StageRule.Of(1, 4), StageRule.Of(2, 4), StageRule.Of(3, 4)));
    }

    private static HeadSelection Resolve(string spec) => HeadSelections.Resolve(spec, Tiny, "m", Ranking);
}
