namespace Vhw.Transform.Tests;

public sealed class WeightConcentrationCorrTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Bootstrap_intervals_equal_an_explicit_csharp_poisson_bootstrap_with_the_same_seed()
    {
        var expected = ReferenceBootstrap.WeightConcentrationCorr(w.Facts, w.Runs);
        using var q = new QueryRunner(w.Root);
        var mart = q.Run("select * from weight_concentration_corr", Ct);
        Assert.Equal(expected.Count, mart.Rows.Count);
        bool sawDroppedReplicate = false;
        foreach (var r in mart.Rows)
        {
            var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"));
            var e = expected[key];
            double? D(string c) => WarehouseFixture.Dbl(mart, r, c);
            Assert.Equal(e.NHeads, WarehouseFixture.Int(mart, r, "n_heads"));
            Assert.Equal(e.NSamples, WarehouseFixture.Int(mart, r, "n_samples"));
            Assert.Equal(e.NReplicates, WarehouseFixture.Int(mart, r, "n_replicates"));
            Approx.Equal(e.Pearson, D("pearson"), $"pearson {key}");
            Approx.Equal(e.Spearman, D("spearman"), $"spearman {key}");
            Approx.Equal(e.PearsonLow, D("pearson_ci_low"), $"pearson_ci_low {key}");
            Approx.Equal(e.PearsonHigh, D("pearson_ci_high"), $"pearson_ci_high {key}");
            Approx.Equal(e.PearsonSe, D("pearson_bootstrap_se"), $"pearson_bootstrap_se {key}");
            Approx.Equal(e.PearsonBias, D("pearson_bootstrap_bias"), $"pearson_bootstrap_bias {key}");
            Approx.Equal(e.SpearmanLow, D("spearman_ci_low"), $"spearman_ci_low {key}");
            Approx.Equal(e.SpearmanHigh, D("spearman_ci_high"), $"spearman_ci_high {key}");
            Approx.Equal(e.SpearmanSe, D("spearman_bootstrap_se"), $"spearman_bootstrap_se {key}");
            Approx.Equal(e.SpearmanBias, D("spearman_bootstrap_bias"), $"spearman_bootstrap_bias {key}");
            Approx.Equal(e.FisherLow, D("pearson_fisher_ci_low"), $"pearson_fisher_ci_low {key}");
            Approx.Equal(e.FisherHigh, D("pearson_fisher_ci_high"), $"pearson_fisher_ci_high {key}");
            Assert.Equal(ReferenceBootstrap.Replicates, WarehouseFixture.Int(mart, r, "n_replicates_drawn"));
            Assert.Equal(ReferenceBootstrap.Seed, WarehouseFixture.Int(mart, r, "bootstrap_seed"));
            Assert.True(D("pearson_ci_low") < D("pearson_ci_high"), $"empty interval {key}");
            sawDroppedReplicate |= e.NReplicates < ReferenceBootstrap.Replicates;
        }
        Assert.True(sawDroppedReplicate, "with 10 samples some replicate draws no sample at all; it must be left out, not counted");
    }

    [Fact]
    public void The_sql_weights_are_the_documented_md5_poisson_draws()
    {
        using var q = new QueryRunner(w.Root);
        var rows = q.Run("""
            select r, s, bootstrap_uniform(r, s) as u, bootstrap_weight(r, s) as weight
            from range(1, 201) t(r), (values ('pope-000'), ('mmbench-007'), ('x')) v(s)
            """, Ct).Rows;
        var counts = new int[11];
        foreach (var row in rows)
        {
            int r = Convert.ToInt32(row[0]);
            string s = (string)row[1]!;
            Approx.Equal(ReferenceBootstrap.Uniform(r, s), Convert.ToDouble(row[2]), $"u({r}, {s})");
            Assert.Equal(ReferenceBootstrap.Weight(r, s), Convert.ToInt32(row[3]));
            counts[Convert.ToInt32(row[3])]++;
        }
        Assert.True(counts[0] > 150 && counts[1] > 150 && counts[2] > 50, $"Poisson(1) shape expected, got {string.Join(",", counts)}");
    }

    [Fact]
    public void No_resampled_rows_are_materialised()
    {
        using var q = new QueryRunner(w.Root);
        var withReplicates = q.Run("select table_name from duckdb_columns() where column_name = 'replicate'", Ct).Rows;
        Assert.Empty(withReplicates);
        long biggest = w.Result.Models.Where(m => m.Materialization == "table").Max(m => m.RowCount);
        Assert.True(biggest <= w.Facts.Count, $"a table holds {biggest} rows, more than the {w.Facts.Count} facts");
    }
}
