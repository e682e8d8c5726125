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
    public void A_partitioned_model_builds_the_same_rows_as_one_statement_and_settings_reach_the_macros()
    {
        const string path = "models/marts/weight_concentration_corr.sql";
        string sql = SqlProject.Embedded.Models.Single(m => m.Path == path).Sql;
        string directive = "-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest\n";
        Assert.Contains(directive, sql);
        var whole = SqlProject.Embedded.WithFile(path, sql.Replace(directive, "", StringComparison.Ordinal));
        Assert.True(w.ProgressLines.Any(l => l.Contains("weight_concentration_corr (table, 3 × model)", StringComparison.Ordinal)),
            "the fixture builds it per model");

        string folder = TempFolder.Create("unpartitioned");
        try
        {
            // both built with 7 replicates: the setting must reach the macros, and the bootstrap is compared like for like
            var settings = new TransformSettings { BootstrapReplicates = 7, Threads = 1, MemoryLimit = "1GB" };
            string perModel = Path.Combine(folder, "per-model.duckdb"), oneStatement = Path.Combine(folder, "whole.duckdb");
            new TransformRunner(settings: settings).Run(w.Root, perModel, Ct);
            new TransformRunner(whole, settings: settings).Run(w.Root, oneStatement, Ct);
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
