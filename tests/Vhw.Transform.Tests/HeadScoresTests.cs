namespace Vhw.Transform.Tests;

public sealed class HeadScoresTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Head_scores_equal_a_recomputation_from_the_raw_rows()
    {
        var expected = Reference.HeadScores(w.Facts, w.Runs, w.Shapes);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from head_scores", Ct);

        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            string Str(string c) => WarehouseFixture.Str(mart, r, c);
            int Int(string c) => WarehouseFixture.Int(mart, r, c);
            double? Dbl(string c) => WarehouseFixture.Dbl(mart, r, c);
            var key = (Str("model"), Str("benchmark"), Str("query_kind"), Int("layer"), Int("head"));
            var e = expected[key];
            string at = $"{key}";
            Assert.Equal(e.RunId, Str("run_id"));
            Assert.Equal(e.NSamples, Int("n_samples"));
            Approx.Equal(e.MeanImageFraction, Dbl("mean_image_fraction"), $"mean_image_fraction {at}");
            Approx.Equal(e.StdImageFraction, Dbl("std_image_fraction"), $"std_image_fraction {at}");
            Approx.Equal(e.MeanImageConcentration, Dbl("mean_image_concentration"), $"mean_image_concentration {at}");
            Approx.Equal(e.StdImageConcentration, Dbl("std_image_concentration"), $"std_image_concentration {at}");
            Approx.Equal(e.MeanImageLift, Dbl("mean_image_lift"), $"mean_image_lift {at}");
            Approx.Equal(e.MeanRegionFraction, Dbl("mean_region_fraction"), $"mean_region_fraction {at}");
            Approx.Equal(e.MeanTextFraction, Dbl("mean_text_fraction"), $"mean_text_fraction {at}");
            Approx.Equal(e.DetectionScore, Dbl("detection_score"), $"detection_score {at}");
            Approx.Equal(e.RelativeDepth, Dbl("relative_depth"), $"relative_depth {at}");
            Assert.Equal(e.TopN, Int("top_n"));
            Assert.Equal(e.Rank, Int("rank"));
            Assert.Equal(e.Stage, Str("stage"));
            Assert.Equal(e.DepthDecile, Int("depth_decile"));
            Assert.Equal(e.IsTopHead, (bool)r[mart.IndexOf("is_top_head")]!);
            var toy = SyntheticWarehouse.Models.Single(m => m.Name == key.Item1);
            Assert.Equal((toy.Family, toy.Scale, toy.Params), (Str("family"), Str("scale"), Convert.ToInt64(r[mart.IndexOf("n_params")])));
        }
    }

    [Fact]
    public void Head_scores_use_only_the_latest_run_of_each_model_benchmark_and_query_kind()
    {
        using var q = new QueryRunner(w.Root);
        var runIds = q.Run("select distinct run_id from head_scores", Ct).Rows.Select(r => (string)r[0]!).ToHashSet();
        Assert.DoesNotContain("toy-32l-pope-as2-old", runIds);             // older finished_at
        Assert.DoesNotContain("toy-40l-mmbench-as2-zz-interrupted", runIds); // no runs row, sorts last
        Assert.Contains("toy-32l-pope-as2", runIds);
        Assert.Contains("toy-40l-mmbench-as2", runIds);
        Assert.Equal(7, runIds.Count);
    }

    [Fact]
    public void Head_scores_have_one_row_per_model_benchmark_query_kind_layer_head()
    {
        using var q = new QueryRunner(w.Root);
        var counts = q.Run("""
            select count(*), count(distinct (model, benchmark, query_kind, layer, head)),
                   count(*) filter (where rank is null or stage is null or detection_score not between 0 and 1
                       or depth_decile not between 0 and 9 or is_top_head is distinct from (rank <= top_n))
            from head_scores
            """, Ct).Rows[0];
        Assert.Equal(counts[0], counts[1]);
        Assert.Equal(0L, Convert.ToInt64(counts[2]));
    }

    [Fact]
    public void Detection_top_n_is_five_percent_of_the_heads_rounded_half_away_from_zero()
    {
        using var q = new QueryRunner(w.Root);
        var rows = q.Run("select h, visual_head_top_n(h) from (values (1), (10), (24), (30), (50), (1024), (1600)) t(h)", Ct).Rows;
        Assert.Equal(new[] { 1, 1, 1, 2, 3, 51, 80 }, rows.Select(r => Convert.ToInt32(r[1])).ToArray());
    }
}
