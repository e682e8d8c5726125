namespace Vhw.Transform.Tests;

public sealed class AnalyticsMartsTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<(string Model, string Benchmark, string QueryKind, int Layer, int Head), ExpectedHead> Heads =>
        Reference.HeadScores(w.Facts, w.Runs, w.Shapes);

    [Fact]
    public void Stage_distribution_equals_counts_of_top_heads_per_stage_and_decile()
    {
        var expected = ReferenceMarts.StageDistribution(Heads);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from stage_distribution", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            var set = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"));
            var key = (set, WarehouseFixture.Str(mart, r, "stage"), WarehouseFixture.Int(mart, r, "depth_decile"));
            var e = expected[key];
            Assert.Equal(e.NHeads, WarehouseFixture.Int(mart, r, "n_heads"));
            Assert.Equal(e.NTopHeads, WarehouseFixture.Int(mart, r, "n_top_heads"));
            Approx.Equal(e.TopHeadShare, WarehouseFixture.Dbl(mart, r, "top_head_share"), $"top_head_share {key}");
            Approx.Equal(e.HeadShare, WarehouseFixture.Dbl(mart, r, "head_share"), $"head_share {key}");
            Approx.Equal(e.StageTopHeadShare, WarehouseFixture.Dbl(mart, r, "stage_top_head_share"), $"stage_top_head_share {key}");
            Approx.Equal(e.StageHeadShare, WarehouseFixture.Dbl(mart, r, "stage_head_share"), $"stage_head_share {key}");
            Approx.Equal(e.StageTopHeadShare / e.StageHeadShare, WarehouseFixture.Dbl(mart, r, "stage_enrichment"), $"stage_enrichment {key}");
            Approx.Equal(e.DecileTopHeadShare, WarehouseFixture.Dbl(mart, r, "decile_top_head_share"), $"decile_top_head_share {key}");
            Approx.Equal(e.DecileHeadShare, WarehouseFixture.Dbl(mart, r, "decile_head_share"), $"decile_head_share {key}");
        }
        // toy-40l: decile 3 = layers 12..15 straddles the authors' early/middle boundary (13), so it has two cells
        Assert.Contains(expected.Keys, k => k.Set.Item1 == "toy-40l" && k.Decile == 3 && k.Stage == "early");
        Assert.Contains(expected.Keys, k => k.Set.Item1 == "toy-40l" && k.Decile == 3 && k.Stage == "middle");
    }

    [Fact]
    public void Model_concentration_vs_accuracy_equals_top_head_means_and_MathNet_across_model_correlations()
    {
        var expected = ReferenceMarts.ConcentrationVsAccuracy(Heads, Reference.Accuracy(w.Facts, w.Runs, w.Samples));
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from model_concentration_vs_accuracy", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"));
            var e = expected[key];
            Assert.Equal(e.NTopHeads, WarehouseFixture.Int(mart, r, "n_top_heads"));
            Approx.Equal(e.TopConcentration, WarehouseFixture.Dbl(mart, r, "top_heads_mean_image_concentration"), $"concentration {key}");
            Approx.Equal(e.TopFraction, WarehouseFixture.Dbl(mart, r, "top_heads_mean_image_fraction"), $"fraction {key}");
            Approx.Equal(e.Accuracy, WarehouseFixture.Dbl(mart, r, "accuracy"), $"accuracy {key}");
            Assert.Equal(e.NModels, WarehouseFixture.Int(mart, r, "n_models"));
            Approx.Equal(e.AcrossPearson, WarehouseFixture.Dbl(mart, r, "across_model_pearson"), $"across_model_pearson {key}");
            Approx.Equal(e.AcrossSpearman, WarehouseFixture.Dbl(mart, r, "across_model_spearman"), $"across_model_spearman {key}");
        }
        Assert.Contains(expected.Values, e => e.AcrossPearson is not null);      // pope/mmbench answer_step2: 3 models
        Assert.Contains(expected.Values, e => e.NModels == 1 && e.AcrossPearson is null); // pope last_prompt: one model
    }

    [Fact]
    public void Rank_stability_equals_pairwise_spearman_jaccard_and_depth_profiles()
    {
        var expected = ReferenceMarts.RankStability(Heads, SyntheticWarehouse.Models);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from rank_stability", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            string S(string c) => WarehouseFixture.Str(mart, r, c);
            double? D(string c) => WarehouseFixture.Dbl(mart, r, c);
            var key = (S("comparison"), S("query_kind"), S("model_a"), S("benchmark_a"), S("model_b"), S("benchmark_b"));
            var e = expected[key];
            Assert.Equal(e.NCommon, r[mart.IndexOf("n_common_heads")] is null ? null : WarehouseFixture.Int(mart, r, "n_common_heads"));
            Approx.Equal(e.Spearman, D("head_score_spearman"), $"head_score_spearman {key}");
            Approx.Equal(e.Jaccard, D("top_k_jaccard"), $"top_k_jaccard {key}");
            Assert.Equal(e.KA, WarehouseFixture.Int(mart, r, "k_a"));
            Assert.Equal(e.KB, WarehouseFixture.Int(mart, r, "k_b"));
            Approx.Equal(e.DepthA, D("mean_top_relative_depth_a"), $"depth a {key}");
            Approx.Equal(e.DepthB, D("mean_top_relative_depth_b"), $"depth b {key}");
            Approx.Equal(e.DepthB - e.DepthA, D("relative_depth_shift"), $"shift {key}");
            Approx.Equal(e.Overlap, D("decile_profile_overlap"), $"decile_profile_overlap {key}");
        }
        Assert.Equal(3, expected.Keys.Count(k => k.Comparison == "across_benchmarks"));
        Assert.Equal(2, expected.Keys.Count(k => k.Comparison == "across_scales")); // toy-a 7b (toy-32l) vs 13b (toy-40l), per benchmark
        Assert.Contains(expected.Keys, k => k is ("across_scales", "answer_step2", "toy-32l", "pope", "toy-40l", "pope"));
    }

    [Fact]
    public void Head_activation_dynamics_equal_per_head_activity_and_variability()
    {
        var expected = ReferenceMarts.HeadActivationDynamics(w.Facts, w.Runs, w.Shapes);
        var heads = Heads;
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from head_activation_dynamics", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            double? D(string c) => WarehouseFixture.Dbl(mart, r, c);
            var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"),
                WarehouseFixture.Int(mart, r, "layer"), WarehouseFixture.Int(mart, r, "head"));
            var e = expected[key];
            Assert.Equal(e.NSamples, WarehouseFixture.Int(mart, r, "n_samples"));
            Assert.Equal(e.NActive, WarehouseFixture.Int(mart, r, "n_active"));
            Approx.Equal(e.ActivationRate, D("activation_rate"), $"activation_rate {key}");
            Approx.Equal(e.EntropyBits, D("activation_entropy_bits"), $"activation_entropy_bits {key}");
            Approx.Equal(e.TopNRate, D("top_n_rate"), $"top_n_rate {key}");
            Approx.Equal(heads[key].DetectionScore, D("top_n_rate"), $"top_n_rate = detection_score {key}");
            Approx.Equal(e.StdImageFraction, D("std_image_fraction"), $"std_image_fraction {key}");
            Approx.Equal(e.P10, D("p10_image_fraction"), $"p10 {key}");
            Approx.Equal(e.Median, D("median_image_fraction"), $"median {key}");
            Approx.Equal(e.P90, D("p90_image_fraction"), $"p90 {key}");
            Approx.Equal(e.MeanSampleRank, D("mean_sample_rank"), $"mean_sample_rank {key}");
            Approx.Equal(e.StdSampleRank, D("std_sample_rank"), $"std_sample_rank {key}");
        }
        Assert.Contains(expected.Values, e => e.ActivationRate is > 0 and < 1); // some heads switch
    }
}
