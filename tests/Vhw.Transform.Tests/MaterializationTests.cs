namespace Vhw.Transform.Tests;

public sealed class MaterializationTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_header_line_overrides_the_layer_default()
    {
        Assert.Equal(new ModelMaterialization("table"), ModelMaterialization.Of(new SqlFile("models/marts/m.sql", "-- m: x\nselect 1")));
        Assert.Equal(new ModelMaterialization("view"), ModelMaterialization.Of(new SqlFile("models/staging/s.sql", "select 1")));
        Assert.Equal(new ModelMaterialization("view"),
            ModelMaterialization.Of(new SqlFile("models/intermediate/i.sql", "-- i: x\n-- materialized: view\nselect 1")));
        var partitioned = ModelMaterialization.Of(new SqlFile("models/marts/p.sql",
            "-- p: x\n-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest\nselect 1"));
        Assert.Equal(("model", "int_benchmark_runs_filtered_to_latest"), (partitioned.PartitionColumn, partitioned.PartitionSource));
    }

    [Fact]
    public void A_malformed_directive_or_a_partition_source_that_runs_later_is_refused()
    {
        var typo = SqlProject.Embedded.WithFile("models/marts/zz_typo.sql", "-- zz_typo: x\n-- materialized: tabel\nselect 1 as x");
        Assert.Contains("is not '-- materialized: view'", Assert.Throws<TransformException>(() => typo.Validate()).Message);

        var later = SqlProject.Embedded.WithFile("models/intermediate/int_aaa.sql",
            "-- int_aaa: x\n-- materialized: table partitioned by model from head_scores\nselect 'm' as model");
        var e = Assert.Throws<TransformException>(() => later.Validate());
        Assert.Contains("partitioned by the values of head_scores", e.Message);
    }

    [Fact]
    public void A_counted_as_line_gives_the_count_the_runner_reports()
    {
        const string path = "models/staging/stg_head_facts.sql";
        const string line = "-- counted as: select cast(coalesce(sum(num_rows), 0) as bigint) from fact_parts()\n";
        var model = SqlProject.Embedded.Models.Single(m => m.Path == path);
        Assert.Equal(line.TrimEnd('\n')["-- counted as: ".Length..], ModelMaterialization.CountedAs(model));
        // the footers' count is the view's count(*) (the shared fixture's parts hold no stored rank: the computed arm)
        long reported = w.Result.Models.Single(m => m.Name == "stg_head_facts").RowCount;
        Assert.Equal(w.Facts.Count, reported);
        using (var q = new QueryRunner(w.Root))
            Assert.Equal(reported, Convert.ToInt64(q.Run("select count(*) from stg_head_facts", Ct).Rows[0][0]));

        // the runner runs the line's select
        string folder = TempFolder.Create("counted-as");
        try
        {
            var project = EmbeddedSql.Replacing(path, line, "-- counted as: select 42\n");
            var result = new TransformRunner(project, settings: new TransformSettings { BootstrapReplicates = 10 })
                .Run(w.Root, Path.Combine(folder, "counted.duckdb"), Ct);
            Assert.Equal(42, result.Models.Single(m => m.Name == "stg_head_facts").RowCount);
        }
        finally
        {
            TempFolder.Delete(folder);
        }

        string Refused(SqlProject project) => Assert.Throws<TransformException>(project.Validate).Message;
        Assert.Contains("is not '-- counted as: select …'", Refused(EmbeddedSql.Replacing(path, line, "-- counted as: the footers\n")));
        Assert.Contains("more than one '-- counted as:' line", Refused(EmbeddedSql.Replacing(path, line, line + "-- counted as: select 1\n")));
    }

    [Fact]
    public void A_kernel_models_further_tables_are_named_once_in_its_header_and_read_after_it()
    {
        const string path = "models/intermediate/int_facts_of_latest_runs_reduced_per_head.sql";
        var model = SqlProject.Embedded.Models.Single(m => m.Path == path);
        const string also = "-- also materialized: int_bootstrap_replicates_correlated_per_run\n";
        Assert.Equal(["int_bootstrap_replicates_correlated_per_run"], ModelMaterialization.AlsoMaterialized(model));
        string Refused(SqlProject project) => Assert.Throws<TransformException>(project.Validate).Message;

        Assert.Contains("kernel head_reductions writes 1 more table(s), named by as many '-- also materialized: <name>' lines (found 0)",
            Refused(EmbeddedSql.Replacing(path, also, "")));
        Assert.Contains("is not '-- also materialized: <table name>'",
            Refused(EmbeddedSql.Replacing(path, also, "-- also materialized: Replicates-2\n")));
        Assert.Contains("head_scores is also defined by models/marts/head_scores.sql",
            Refused(EmbeddedSql.Replacing(path, also, "-- also materialized: head_scores\n")));
        Assert.Contains("only a kernel model writes more tables",
            Refused(SqlProject.Embedded.WithFile("models/marts/zz_more.sql", "-- zz_more: x\n-- also materialized: zz_more_2\nselect 1 as x")));
        Assert.Contains("reads int_bootstrap_replicates_correlated_per_run, which runs later (" + path + ")",
            Refused(SqlProject.Embedded.WithFile("models/intermediate/int_aaa_reader.sql",
                "-- int_aaa_reader: x\nselect * from int_bootstrap_replicates_correlated_per_run")));
    }

    [Fact]
    public void A_partitioned_model_builds_the_same_rows_as_one_statement_and_settings_reach_the_macros()
    {
        const string path = "models/marts/weight_concentration_corr.sql";
        const string grain = "-- Grain: one row per model × benchmark × query_kind.\n";
        Assert.DoesNotContain("-- materialized:", EmbeddedSql.Text(path));
        var perModelProject = EmbeddedSql.Replacing(path, grain,
            "-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest\n" + grain);

        string folder = TempFolder.Create("unpartitioned");
        try
        {
            // both built with 7 replicates: the setting must reach the macros, and the bootstrap is compared like for like
            var settings = new TransformSettings { BootstrapReplicates = 7, Threads = 1, MemoryLimit = "1GB" };
            string perModel = Path.Combine(folder, "per-model.duckdb"), oneStatement = Path.Combine(folder, "whole.duckdb");
            var progress = new ListProgress();
            new TransformRunner(perModelProject, progress, settings).Run(w.Root, perModel, Ct);
            new TransformRunner(settings: settings).Run(w.Root, oneStatement, Ct);
            Assert.Contains(progress.Lines, l => l.Contains("weight_concentration_corr (table, 3 × model)", StringComparison.Ordinal));
            const string rows = "select * from weight_concentration_corr order by model, benchmark, query_kind";
            using var partitioned = new QueryRunner(w.Root, perModel);
            using var unpartitioned = new QueryRunner(w.Root, oneStatement);
            var expected = partitioned.Run(rows, Ct).Rows;
            var actual = unpartitioned.Run(rows, Ct).Rows;
            Assert.True(expected.Count > 1, "more than one model");
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
                for (int c = 0; c < expected[i].Length; c++)
                    if (expected[i][c] is double e) Approx.Equal(e, (double?)actual[i][c], $"row {i} column {c}");
                    else Assert.Equal(expected[i][c], actual[i][c]);
            var drawn = unpartitioned.Run("select distinct n_replicates_drawn from weight_concentration_corr", Ct).Rows;
            Assert.Equal(7, Convert.ToInt32(Assert.Single(drawn)[0]));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }
}
