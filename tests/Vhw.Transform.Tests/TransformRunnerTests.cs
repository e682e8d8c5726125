namespace Vhw.Transform.Tests;

public sealed class TransformRunnerTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Runs_every_model_staging_then_intermediate_then_marts_and_reports_row_counts()
    {
        string[] expectedOrder =
        [
            "stg_head_facts", "stg_models", "stg_rejects", "stg_runs", "stg_samples",
            "int_attention_aggregated_to_run_head", "int_benchmark_runs_filtered_to_latest", "int_benchmark_runs_latest_samples_numbered",
            "int_facts_of_latest_runs_reduced_per_head", "int_bootstrap_replicates_correlated_per_run", "int_head_facts_joined_to_models",
            "int_heads_counted_in_sample_top_n", "int_image_fraction_percentiles_per_head",
            "head_activation_dynamics", "head_scores", "model_accuracy", "model_concentration_vs_accuracy", "model_correlations",
            "rank_stability", "stage_distribution", "weight_concentration_corr",
        ];
        // other features add models too: these must all run, in this order
        Assert.Equal(expectedOrder, w.Result.Models.Select(m => m.Name).Where(expectedOrder.Contains).ToArray());
        // staging views; intermediate and marts tables, except the fact-grain view kept for analysts
        Assert.All(w.Result.Models, m => Assert.Equal(
            m.Layer == "staging" || m.Name == "int_head_facts_joined_to_models" ? "view" : "table", m.Materialization));
        var rows = w.Result.Models.ToDictionary(m => m.Name, m => m.RowCount);
        Assert.Equal(w.Facts.Count, rows["stg_head_facts"]);
        Assert.Equal(2, rows["stg_rejects"]);
        Assert.Equal(7, rows["int_benchmark_runs_filtered_to_latest"]);
        Assert.Equal(2 * 128 + 2 * 120 + 3 * 24, rows["head_scores"]);
        Assert.Equal(6, rows["model_accuracy"]);
        Assert.Equal(rows["head_scores"], rows["head_activation_dynamics"]);
        Assert.Equal(7, rows["weight_concentration_corr"]);
        Assert.Equal(7 * 1000, rows["int_bootstrap_replicates_correlated_per_run"]); // the kernel's second table: runs × replicates
        Assert.Contains(w.ProgressLines, l => l.Contains("; also int_bootstrap_replicates_correlated_per_run: 7,000 rows", StringComparison.Ordinal));
        Assert.Equal(7, rows["model_concentration_vs_accuracy"]);
        Assert.Equal(Path.Combine(w.Root, "warehouse.duckdb"), w.Result.DatabasePath);
        Assert.Contains(w.ProgressLines, l => l.Contains("marts/head_scores (table)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_raw_folder_fails_with_a_message_naming_it()
    {
        string root = TempFolder.Create("empty");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "head_facts"));
            var e = Assert.Throws<TransformException>(() => new TransformRunner().Run(root, ct: Ct));
            Assert.Contains($"no Parquet under {Path.Combine(root, "head_facts")}", e.Message);
            Assert.Contains("run `vhw ingest` first", e.Message);
            Assert.False(File.Exists(Path.Combine(root, "warehouse.duckdb")));

            var missingRoot = Assert.Throws<TransformException>(() => new TransformRunner().Run(Path.Combine(root, "nope"), ct: Ct));
            Assert.Contains("does not exist", missingRoot.Message);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void A_broken_model_names_its_file_and_leaves_the_previous_warehouse_intact()
    {
        string folder = TempFolder.Create("broken");
        try
        {
            string database = Path.Combine(folder, "copy.duckdb");
            new TransformRunner(WarehouseFixture.FewReplicates).Run(w.Root, database, ct: Ct);
            var broken = WarehouseFixture.FewReplicates.WithFile("models/marts/model_accuracy.sql",
                "-- model_accuracy: broken on purpose\nselect no_such_column from stg_samples");

            var e = Assert.Throws<TransformException>(() => new TransformRunner(broken).Run(w.Root, database, ct: Ct));
            Assert.Contains("models/marts/model_accuracy.sql", e.Message);
            Assert.Contains("no_such_column", e.Message);
            Assert.Equal("models/marts/model_accuracy.sql", e.SqlFile);

            using var q = new QueryRunner(w.Root, database);
            Assert.Equal(6L, Convert.ToInt64(q.Run("select count(*) from model_accuracy", Ct).Rows[0][0]));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public void A_model_reading_a_model_that_runs_later_is_refused_before_anything_runs()
    {
        var project = SqlProject.Embedded.WithFile("models/intermediate/int_aaa_reads_later.sql",
            "-- reads a later model\nselect * from int_image_fraction_percentiles_per_head");
        var e = Assert.Throws<TransformException>(() => project.Validate());
        Assert.Contains("models/intermediate/int_aaa_reads_later.sql", e.Message);
        Assert.Contains("int_image_fraction_percentiles_per_head", e.Message);
    }

    [Fact]
    public void A_warehouse_without_rejects_gets_an_empty_rejects_view_and_reruns_cleanly()
    {
        string root = TempFolder.Create("norejects");
        try
        {
            SyntheticWarehouse.Create(root, withRejects: false);
            var first = new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
            var second = new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
            Assert.Equal(0, first.Models.Single(m => m.Name == "stg_rejects").RowCount);
            Assert.Equal(first.Models.Select(m => m.RowCount), second.Models.Select(m => m.RowCount));
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Sql_statements_split_outside_comments_and_quotes()
    {
        var statements = SqlText.SplitStatements("-- a; b\nselect ';' as x; /* c; */ select \"d;e\" from t;\n-- tail;");
        Assert.Equal(["-- a; b\nselect ';' as x", "/* c; */ select \"d;e\" from t"], statements);
    }
}
