using DuckDB.NET.Data;

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
    public void A_head_missing_a_fact_or_a_value_is_weighted_by_the_samples_that_hold_one()
    {
        // the shared fixture's heads hold every value of every sample; here one head of the latest toy-32l × pope run
        // loses a fact row and another the concentration of two samples, so their replicate means must divide by the
        // weights of the samples they hold (the kernel's per-head value counts), not by the run's total weight
        string root = TempFolder.Create("bootstrap-incomplete");
        try
        {
            SyntheticWarehouse.Create(root);
            RewriteFacts(root, """
                select * replace (
                    case when run_id = 'toy-32l-pope-as2' and layer = 2 and head = 0 and sample_id in ('pope-004', 'pope-005')
                        then null else image_concentration end as image_concentration,
                    case when run_id = 'toy-32l-pope-as2' and layer = 2 and head = 0 and sample_id in ('pope-004', 'pope-005')
                        then null else image_entropy end as image_entropy)
                from facts
                where not (run_id = 'toy-32l-pope-as2' and layer = 0 and head = 1 and sample_id = 'pope-003')
                """);
            new TransformRunner().Run(root, ct: Ct);
            var (facts, runs, _, _) = RawRows.Read(root);
            Assert.DoesNotContain(facts, f => f.RunId == "toy-32l-pope-as2" && f.Layer == 0 && f.Head == 1 && f.SampleId == "pope-003");
            Assert.Contains(facts, f => f.RunId == "toy-32l-pope-as2" && f.Layer == 2 && f.Head == 0 && f.ImageConcentration is null);

            var e = ReferenceBootstrap.WeightConcentrationCorr(facts, runs)[("toy-32l", "pope", "answer_step2")];
            using var q = new QueryRunner(root);
            var mart = q.Run("select * from weight_concentration_corr where model = 'toy-32l' and benchmark = 'pope' and query_kind = 'answer_step2'", Ct);
            var r = Assert.Single(mart.Rows);
            double? D(string c) => WarehouseFixture.Dbl(mart, r, c);
            Assert.Equal(e.NReplicates, WarehouseFixture.Int(mart, r, "n_replicates"));
            Approx.Equal(e.PearsonLow, D("pearson_ci_low"), "pearson_ci_low");
            Approx.Equal(e.PearsonHigh, D("pearson_ci_high"), "pearson_ci_high");
            Approx.Equal(e.PearsonSe, D("pearson_bootstrap_se"), "pearson_bootstrap_se");
            Approx.Equal(e.PearsonBias, D("pearson_bootstrap_bias"), "pearson_bootstrap_bias");
            Approx.Equal(e.SpearmanSe, D("spearman_bootstrap_se"), "spearman_bootstrap_se");
            Approx.Equal(e.SpearmanBias, D("spearman_bootstrap_bias"), "spearman_bootstrap_bias");
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Theory]
    [InlineData(101)] // not a multiple of the kernel's block of 8 replicates
    [InlineData(7)]   // fewer replicates than one block
    public void Any_replicate_count_gives_the_replicates_of_the_reference(int replicates)
    {
        string root = TempFolder.Create($"bootstrap-{replicates}");
        try
        {
            SyntheticWarehouse.Create(root);
            var project = EmbeddedSql.Replacing("macros/bootstrap.sql", "bootstrap_replicates() as 1000", $"bootstrap_replicates() as {replicates}");
            new TransformRunner(project).Run(root, ct: Ct);
            var (facts, runs, _, _) = RawRows.Read(root);
            var expected = ReferenceBootstrap.WeightConcentrationCorr(facts, runs, replicates);
            using var q = new QueryRunner(root);
            var mart = q.Run("select * from weight_concentration_corr", Ct);
            Assert.Equal(expected.Count, mart.Rows.Count);
            foreach (var r in mart.Rows)
            {
                var key = (WarehouseFixture.Str(mart, r, "model"), WarehouseFixture.Str(mart, r, "benchmark"), WarehouseFixture.Str(mart, r, "query_kind"));
                var e = expected[key];
                double? D(string c) => WarehouseFixture.Dbl(mart, r, c);
                Assert.Equal(replicates, WarehouseFixture.Int(mart, r, "n_replicates_drawn"));
                Assert.Equal(e.NReplicates, WarehouseFixture.Int(mart, r, "n_replicates"));
                Approx.Equal(e.PearsonLow, D("pearson_ci_low"), $"pearson_ci_low {key}");
                Approx.Equal(e.PearsonHigh, D("pearson_ci_high"), $"pearson_ci_high {key}");
                Approx.Equal(e.PearsonSe, D("pearson_bootstrap_se"), $"pearson_bootstrap_se {key}");
                Approx.Equal(e.SpearmanBias, D("spearman_bootstrap_bias"), $"spearman_bootstrap_bias {key}");
            }
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    // Rewrites head_facts/ as the result of `select` over a table `facts` holding every fact (hive columns included).
    internal static void RewriteFacts(string root, string select)
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        string facts = Path.Combine(root, "head_facts"), next = Path.Combine(root, "head_facts.next");
        using (var command = db.CreateCommand())
        {
            command.CommandText = $"""
                create table facts as select * from read_parquet('{facts}/*/*/*.parquet', hive_partitioning = true);
                copy ({select}) to '{next}' (format parquet, partition_by (model, benchmark));
                """;
            command.ExecuteNonQuery();
        }
        Directory.Delete(facts, recursive: true);
        Directory.Move(next, facts);
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
    public void The_weight_lists_hold_every_replicates_weight_in_order()
    {
        // bootstrap_weights (what the table of weights stores) draws the uniforms and their quantiles in two steps
        using var q = new QueryRunner(w.Root);
        var rows = q.Run("select s, bootstrap_weights(s) as weights from (values ('pope-000'), ('mmbench-007'), ('x')) v(s)", Ct).Rows;
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            string s = (string)row[0]!;
            var weights = ((System.Collections.IEnumerable)row[1]!).Cast<object>().Select(Convert.ToInt32).ToList();
            Assert.Equal(Enumerable.Range(1, ReferenceBootstrap.Replicates).Select(r => ReferenceBootstrap.Weight(r, s)), weights);
        }
    }

    [Fact]
    public void No_resampled_rows_are_materialised()
    {
        // the one table with a replicate column holds a row per run and replicate (its correlations), not per fact
        using var q = new QueryRunner(w.Root);
        var withReplicates = q.Run("select table_name from duckdb_columns() where column_name = 'replicate'", Ct).Rows;
        Assert.Equal("int_bootstrap_replicates_correlated_per_run", Assert.Single(withReplicates)[0]);
        var counts = Assert.Single(q.Run("""
            select
                (select count(*) from int_bootstrap_replicates_correlated_per_run),
                (select count(*) from (select distinct model, run_index from int_facts_of_latest_runs_reduced_per_head))
            """, Ct).Rows);
        Assert.Equal(Convert.ToInt64(counts[1]) * ReferenceBootstrap.Replicates, Convert.ToInt64(counts[0]));
        // every other table: at most a row per fact
        long biggest = w.Result.Models.Where(m => m.Materialization == "table" && m.Name != "int_bootstrap_replicates_correlated_per_run")
            .Max(m => m.RowCount);
        Assert.True(biggest <= w.Facts.Count, $"a table holds {biggest} rows, more than the {w.Facts.Count} facts");
    }
}
