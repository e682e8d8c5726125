using MathNet.Numerics.Statistics;

namespace Vhw.Transform.Tests;

public sealed class ModelMartsTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Model_correlations_equal_MathNet_pearson_and_spearman_over_the_head_means()
    {
        var heads = Reference.HeadScores(w.Facts, w.Runs, w.Shapes);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from model_correlations", Ct);
        Assert.Equal(7, mart.Rows.Count);
        bool sawTies = false;
        foreach (var r in mart.Rows)
        {
            var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"));
            var group = heads.Where(kv => (kv.Key.Model, kv.Key.Benchmark, kv.Key.QueryKind) == key)
                .OrderBy(kv => kv.Key.Layer).ThenBy(kv => kv.Key.Head).Select(kv => kv.Value).ToList();
            double[] x = group.Select(h => h.MeanImageFraction).ToArray();
            double[] y = group.Select(h => h.MeanImageConcentration!.Value).ToArray();
            sawTies |= y.Distinct().Count() < y.Length && x.Distinct().Count() < x.Length;

            Assert.Equal(group.Count, WarehouseFixture.Int(mart, r, "n_heads"));
            Approx.Equal(Correlation.Pearson(x, y), WarehouseFixture.Dbl(mart, r, "pearson"), $"pearson {key}");
            Approx.Equal(Correlation.Spearman(x, y), WarehouseFixture.Dbl(mart, r, "spearman"), $"spearman {key}");
            Approx.Equal(x.Average(), WarehouseFixture.Dbl(mart, r, "mean_image_fraction"), $"mean_image_fraction {key}");
        }
        Assert.True(sawTies, "the quantized toy model should give tied head means, so average ranks are exercised");
    }

    [Fact]
    public void Model_accuracy_counts_each_sample_of_the_latest_runs_once()
    {
        var expected = Reference.Accuracy(w.Facts, w.Runs, w.Samples);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from model_accuracy", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        foreach (var r in mart.Rows)
        {
            var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"));
            var (n, scored, correct, accuracy) = expected[key];
            Assert.Equal(n, WarehouseFixture.Int(mart, r, "n_samples"));
            Assert.Equal(scored, WarehouseFixture.Int(mart, r, "n_scored"));
            Assert.Equal(correct, WarehouseFixture.Int(mart, r, "n_correct"));
            Approx.Equal(accuracy, WarehouseFixture.Dbl(mart, r, "accuracy"), $"accuracy {key}");
        }
        Assert.Equal(10, expected[("toy-12l", "pope")].NSamples); // answered under two query kinds, counted once
    }
}
