using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Vhw.Transform.Kernels;

namespace Vhw.Transform.Tests;

/// <summary>The head_reductions kernel against SQL: its bootstrap sums, its percentiles, its chunk reader, its model directive.</summary>
public sealed class HeadReductionsKernelTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_kernel_replicate_correlations_equal_sql_corr_over_a_group_by_of_weight_times_value_and_average_ranks() =>
        AssertReplicateCorrelationsEqualSql(w.Root, expectTies: false);

    [Fact]
    public void The_kernel_percentiles_equal_duckdb_quantile_cont_over_the_latest_facts() => AssertPercentilesEqualSql(w.Root);

    [Fact]
    public void The_models_after_the_kernel_run_with_the_transforms_threads()
    {
        // the kernel streams its facts with one DuckDB thread and must restore the setting: a mart after it records it
        var project = SqlProject.Embedded.WithFile("models/marts/zz_threads_after_the_kernel.sql", "select current_setting('threads') as threads\n");
        string folder = TempFolder.Create("kernel-threads");
        try
        {
            string db = Path.Combine(folder, "threads.duckdb");
            new TransformRunner(project, settings: new TransformSettings { Threads = 3, BootstrapReplicates = 10 }).Run(w.Root, db, Ct);
            using var q = new QueryRunner(w.Root, db);
            Assert.Equal(3L, Convert.ToInt64(Assert.Single(q.Run("select threads from zz_threads_after_the_kernel", Ct).Rows)[0]));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public void Average_ranks_order_and_tie_as_the_sql_macro_does_nan_included()
    {
        double[] values = [3, 1, double.NaN, 1, double.NaN, 2, -0.5, 3, 1];
        var ranks = new float[values.Length];
        new AverageRank(values.Length + 3).Of(values, ranks);
        Assert.Equal([6.5f, 3f, 8.5f, 3f, 8.5f, 5f, 1f, 6.5f, 3f], ranks);
        AssertRanksEqualDuckDb(values, ranks);
    }

    [Fact]
    public void Average_ranks_of_many_values_with_ties_signs_zeros_and_extremes_equal_duckdb()
    {
        // the radix sort's every byte: magnitudes from 1e-300 to 1e300, both signs, -0 and 0, infinities, ties
        var random = new Random(7);
        double[] special = [0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, double.PositiveInfinity, double.NegativeInfinity,
            double.NaN, double.Epsilon, -double.Epsilon];
        var values = Enumerable.Range(0, 1500).Select(i => (i % 4) switch
        {
            0 => Math.Round(random.NextDouble(), 2),                           // ties
            1 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
            2 => special[random.Next(special.Length)],
            _ => random.NextDouble(),
        }).ToArray();
        var ranks = new float[values.Length];
        new AverageRank(values.Length).Of(values, ranks);
        Assert.True(ranks.Distinct().Count() < values.Length - 100, "tied values");
        AssertRanksEqualDuckDb(values, ranks);
    }

    private void AssertRanksEqualDuckDb(double[] values, float[] ranks)
    {
        string rows = string.Join(", ", values.Select((v, i) =>
            $"({i}, '{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}'::double)"));
        using var q = new QueryRunner(w.Root);
        var result = q.Run($"select i, average_rank(v, 1) as rank from (values {rows}) as t(i, v) order by i", Ct);
        Assert.Equal(ranks.Select(r => (double)r), result.Rows.Select(row => Convert.ToDouble(row[1])));
    }

    [Fact]
    public void A_missing_value_or_fact_and_a_fact_listed_twice_reduce_as_in_sql() =>
        // SQL sums and quantiles skip NULLs and count a row listed twice twice; the kernel's dense layout must too; three
        // heads with one constant fraction tie in every replicate's ranks, and a head with one concentration sits out the
        // replicates that do not draw its sample
        WithRewrittenFacts("kernel-irregular", """
            select * replace (
                case when run_id = 'toy-32l-pope-as2' and layer = 1 and sample_id in ('pope-002', 'pope-007')
                    then null when run_id = 'toy-32l-pope-as2' and layer = 4 and head in (0, 1, 2) then 0.25
                    else image_fraction end as image_fraction,
                case when run_id = 'toy-32l-pope-as2' and layer = 2 and head = 0 and sample_id = 'pope-004'
                    then null when run_id = 'toy-32l-pope-as2' and layer = 5 and head = 0 and sample_id != 'pope-001'
                    then null else image_concentration end as image_concentration)
            from facts
            where not (run_id = 'toy-32l-pope-as2' and layer = 0 and head = 1 and sample_id = 'pope-003')
            union all
            select * replace (image_fraction * 0.5 as image_fraction)
            from facts
            where run_id = 'toy-32l-pope-as2' and layer = 3 and head = 2 and sample_id = 'pope-001'
            """, root =>
        {
            new TransformRunner(settings: new TransformSettings { BootstrapReplicates = 60 }).Run(root, ct: Ct);
            AssertReplicateCorrelationsEqualSql(root, expectTies: true);
            AssertPercentilesEqualSql(root);
        });

    [Fact]
    public void A_null_weight_in_a_samples_list_weighs_0()
    {
        // the kernel reading weight 2 as NULL must give what weight 2 drawn as 0 gives
        var nulls = EmbeddedSql.Replacing("models/intermediate/int_facts_of_latest_runs_reduced_per_head.sql",
            "        weights.weights\n", "        list_transform(weights.weights, x -> nullif(x, 2)) as weights\n");
        var zeros = EmbeddedSql.Replacing("macros/bootstrap.sql", "        u -> cast(poisson1_quantile(u) as utinyint));",
            "        u -> cast(coalesce(nullif(poisson1_quantile(u), 2), 0) as utinyint));");
        string folder = TempFolder.Create("kernel-null-weights");
        try
        {
            var settings = new TransformSettings { BootstrapReplicates = 40 };
            string withNulls = Path.Combine(folder, "nulls.duckdb"), withZeros = Path.Combine(folder, "zeros.duckdb");
            new TransformRunner(nulls, settings: settings).Run(w.Root, withNulls, Ct);
            new TransformRunner(zeros, settings: settings).Run(w.Root, withZeros, Ct);
            const string rows = "select * from int_bootstrap_replicates_correlated_per_run order by model, run_index, replicate";
            using var a = new QueryRunner(w.Root, withNulls);
            using var b = new QueryRunner(w.Root, withZeros);
            var expected = b.Run(rows, Ct).Rows;
            var actual = a.Run(rows, Ct).Rows;
            Assert.Equal(7 * 40, expected.Count);
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
            // weight 2 is drawn, so the replicates differ from those of the usual weights (the fixture's first 40)
            using var usual = new QueryRunner(w.Root);
            var drawn = usual.Run(rows.Replace("order by", "where replicate <= 40 order by", StringComparison.Ordinal), Ct).Rows;
            Assert.Equal(expected.Count, drawn.Count);
            Assert.Contains(Enumerable.Range(0, drawn.Count), i => !expected[i].SequenceEqual(drawn[i]));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public void Facts_the_kernel_cannot_place_fail_the_transform_naming_the_model_and_the_kernel() =>
        WithRewrittenFacts("kernel-bad-input", """
            select * replace (case when run_id = 'toy-32l-pope-as2' and sample_id = 'pope-003' and layer = 1 and head = 0
                then cast(-1 as smallint) else layer end as layer)
            from facts
            """, root =>
        {
            var e = Assert.Throws<TransformException>(() =>
                new TransformRunner(settings: new TransformSettings { BootstrapReplicates = 5 }).Run(root, ct: Ct));
            Assert.Contains("int_facts_of_latest_runs_reduced_per_head", e.Message);
            Assert.Contains("kernel head_reductions, model = 'toy-32l'", e.Message);
            Assert.Contains("layer -1 / head 0 must be ≥ 0", e.Message);
        });

    [Fact]
    public void A_kernel_input_failing_mid_stream_fails_the_transform_with_its_error()
    {
        var failing = EmbeddedSql.Replacing("models/intermediate/int_facts_of_latest_runs_reduced_per_head.sql", "        image_fraction,\n",
            "        case when sample_id = 'pope-007' then error('boom in the facts') else image_fraction end as image_fraction,\n");
        var e = BuildFails(failing, "kernel-failing-input");
        Assert.Contains("kernel head_reductions", e.Message);
        Assert.Contains("boom in the facts", e.Message);
    }

    [Fact]
    public void The_sample_key_tells_apart_samples_that_differ_in_any_one_key_and_a_collision_fails_the_build()
    {
        // the kernel's facts join on sample_key alone: each of the five key values must reach it
        using (var q = new QueryRunner(w.Root))
        {
            var row = Assert.Single(q.Run("""
                select count(distinct sample_key(m, b, k, r, s)), count(*)
                from (values ('m', 'b', 'k', 'r', 's'), ('m2', 'b', 'k', 'r', 's'), ('m', 'b2', 'k', 'r', 's'),
                    ('m', 'b', 'k2', 'r', 's'), ('m', 'b', 'k', 'r2', 's'), ('m', 'b', 'k', 'r', 's2'),
                    ('mb', '', 'k', 'r', 's'), ('m', 'bk', '', 'r', 's')) as keys(m, b, k, r, s)
                """, Ct).Rows);
            Assert.Equal(Convert.ToInt64(row[1]), Convert.ToInt64(row[0]));
            var numbered = Assert.Single(q.Run("""
                select count(distinct sample_key), count(*) from int_benchmark_runs_latest_samples_numbered
                """, Ct).Rows);
            Assert.True(Convert.ToInt64(numbered[1]) > 50, $"{numbered[1]} samples");
            Assert.Equal(Convert.ToInt64(numbered[1]), Convert.ToInt64(numbered[0]));
        }
        // a key that drops the sample id collides within a run: the build must stop rather than join wrong facts
        var weak = EmbeddedSql.Replacing("macros/sample_key.sql", "hash(model, benchmark, query_kind, run_id, sample_id)",
            "hash(model, benchmark, query_kind, run_id)");
        Assert.Contains("sample_key collision in model", BuildFails(weak, "kernel-key-collision").Message);
    }

    // The transform of the fixture warehouse with a changed SQL project, into a scratch database: its failure.
    private TransformException BuildFails(SqlProject project, string purpose)
    {
        string folder = TempFolder.Create(purpose);
        try
        {
            return Assert.Throws<TransformException>(() =>
                new TransformRunner(project, settings: new TransformSettings { BootstrapReplicates = 3 }).Run(w.Root, Path.Combine(folder, "k.duckdb"), Ct));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    // A fresh synthetic warehouse whose facts are `select` over them (WeightConcentrationCorrTests.RewriteFacts), then test.
    private static void WithRewrittenFacts(string purpose, string select, Action<string> test)
    {
        string root = TempFolder.Create(purpose);
        try
        {
            SyntheticWarehouse.Create(root);
            WeightConcentrationCorrTests.RewriteFacts(root, select);
            test(root);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    // The naive formulation of every replicate (what the mart computed before the kernel): every fact joined to its
    // sample's weight in every replicate, summed per head and replicate and divided by the weights (NULL values add
    // nothing to a sum nor to its weight; a head whose weight is 0 has no mean), the heads with both means ranked by the
    // SQL macro average_rank, then DuckDB's corr of the means (Pearson) and of the ranks (Spearman) per run and
    // replicate. The kernel's table must hold every replicate of every run with a head (the first 60 compared), the same head counts, the same
    // NULLs and NaNs, and the same correlations.
    private static void AssertReplicateCorrelationsEqualSql(string root, bool expectTies)
    {
        const string sql = """
            with weights as (
                select samples.*, replicate, bootstrap_weight(replicate, samples.sample_id) as weight
                from int_benchmark_runs_latest_samples_numbered as samples
                cross join (select cast(range as integer) as replicate from range(1, 61)) as replicates
            ),
            means as (
                select weights.model, weights.run_index, facts.layer, facts.head, weights.replicate,
                    sum(weights.weight * facts.image_fraction)
                        / nullif(sum(weights.weight * cast(facts.image_fraction is not null as integer)), 0) as fraction_mean,
                    sum(weights.weight * facts.image_concentration)
                        / nullif(sum(weights.weight * cast(facts.image_concentration is not null as integer)), 0) as concentration_mean
                from stg_head_facts as facts
                inner join weights using (model, benchmark, query_kind, run_id, sample_id)
                group by all
            ),
            ranked as (
                select *,
                    average_rank(fraction_mean, (model, run_index, replicate)) as fraction_rank,
                    average_rank(concentration_mean, (model, run_index, replicate)) as concentration_rank
                from means
                where fraction_mean is not null and concentration_mean is not null
            ),
            expected as (
                select model, run_index, replicate, count(*) as n_heads,
                    corr(fraction_mean, concentration_mean) as pearson,
                    corr(fraction_rank, concentration_rank) as spearman,
                    count(*) filter (where fraction_rank != floor(fraction_rank)) as n_tied
                from ranked
                group by all
            ),
            runs as (
                select distinct model, run_index from means
            ),
            actual as (
                select * from int_bootstrap_replicates_correlated_per_run
                where replicate <= 60
            )
            select
                (select count(*) * 60 from runs) as n_expected,
                count(*) as n_actual,
                count(*) filter (where actual.n_heads != coalesce(expected.n_heads, 0)) as n_head_mismatches,
                count(*) filter (where (actual.pearson is null) != (expected.pearson is null)
                    or (actual.spearman is null) != (expected.spearman is null)
                    or coalesce(isnan(actual.pearson), false) != coalesce(isnan(expected.pearson), false)
                    or coalesce(isnan(actual.spearman), false) != coalesce(isnan(expected.spearman), false)) as n_undefined_mismatches,
                max(greatest(abs(actual.pearson - expected.pearson), abs(actual.spearman - expected.spearman)))
                    filter (where isfinite(actual.pearson) and isfinite(actual.spearman)) as max_difference,
                count(*) filter (where isfinite(actual.pearson) and isfinite(actual.spearman)) as n_finite,
                count(distinct actual.model) as n_models,
                cast(coalesce(sum(expected.n_tied), 0) as bigint) as n_tied,
                (select count(*) from means where fraction_mean is null or concentration_mean is null) as n_undrawn,
                count(*) filter (where actual.n_heads < (select max(n_heads) from expected)) as n_partial,
                (select count(*) from actual anti join runs using (model, run_index)) as n_strays,
                (select count(*) = count(distinct (model, run_index, replicate))
                    and count(*) = count(distinct (model, run_index)) * max(replicate)
                    and min(replicate) = 1 from int_bootstrap_replicates_correlated_per_run) as dense
            from actual
            inner join runs using (model, run_index)
            left join expected using (model, run_index, replicate)
            """;
        using var q = new QueryRunner(root);
        var row = Assert.Single(q.Run(sql, Ct).Rows);
        long L(int i) => Convert.ToInt64(row[i]);
        Assert.True(L(0) >= 60 * 5, $"{L(0)} run × replicate correlations expected");
        Assert.Equal(L(0), L(1));
        Assert.Equal(0L, L(2));
        Assert.Equal(0L, L(3));
        Assert.True(L(5) > L(0) / 2, $"{L(5)} finite correlations to compare");
        Assert.True(Convert.ToDouble(row[4]) < 1e-12, $"largest difference {row[4]}");
        Assert.True(L(6) > 1, "more than one model");
        Assert.Equal(0L, L(10));
        Assert.True((bool)row[11]!, "replicates 1..R once each for every run");
        if (expectTies)
        {
            Assert.True(L(7) > 0, "tied means (ranked with ties by both)");
            Assert.True(L(8) > 0, "some head has a mean not drawn (the NULLs the irregular facts make)");
            Assert.True(L(9) > 0, "some replicate leaves a head out");
        }
    }

    private static void AssertPercentilesEqualSql(string root)
    {
        const string sql = """
            with expected as (
                select model, benchmark, query_kind, layer, head,
                    quantile_cont(image_fraction, [0.1, 0.5, 0.9]) as q
                from int_head_facts_joined_to_models
                group by all
            )
            select
                count(*) as n_expected,
                count(actual.model) as n_matched,
                max(greatest(abs(q[1] - p10_image_fraction), abs(q[2] - median_image_fraction), abs(q[3] - p90_image_fraction)))
                    as max_difference,
                count(distinct q[1]) as n_distinct
            from expected
            left join int_image_fraction_percentiles_per_head as actual using (model, benchmark, query_kind, layer, head)
            """;
        using var q = new QueryRunner(root);
        var row = Assert.Single(q.Run(sql, Ct).Rows);
        long expected = Convert.ToInt64(row[0]);
        Assert.True(expected > 10, $"{expected} heads");
        Assert.Equal(expected, Convert.ToInt64(row[1]));
        Assert.True(Convert.ToInt64(row[3]) > 10, "percentiles differ between heads");
        Assert.True(Convert.ToDouble(row[2]) < 1e-12, $"largest difference {row[2]}");
    }

    [Fact]
    public void The_progress_line_reports_the_kernel_phases_and_the_benchmark_reads_them()
    {
        var phases = Vhw.Transform.Synthetic.ScaleBenchmark.ParseKernelPhases(string.Join("\n", w.ProgressLines));
        var line = Assert.Single(phases);
        Assert.Equal("int_facts_of_latest_runs_reduced_per_head", line.Key);
        Assert.Matches(@"^weights \d+\.\d s, facts \d+\.\d s, replicate sums \d+\.\d s, percentiles \d+\.\d s, replicate correlations \d+\.\d s, output \d+\.\d s$", line.Value);
    }

    [Fact]
    public void The_chunk_stream_reads_every_row_and_null_of_a_multi_chunk_result()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var rows = new List<(int I, double? V)>();
        ChunkStream.ForEach(db, "select cast(range as integer) as i, case when range % 3 = 0 then null else cast(range * 0.5 as double) end as v from range(5000)",
            [("i", DuckDBType.Integer), ("v", DuckDBType.Double)], chunk =>
            {
                var i = chunk.Values<int>(0);
                var v = chunk.Values<double>(1);
                for (int r = 0; r < chunk.Count; r++) rows.Add((i[r], chunk.IsValid(1, r) ? v[r] : null));
            }, Ct);
        Assert.Equal(5000, rows.Count);
        Assert.Equal(Enumerable.Range(0, 5000), rows.Select(r => r.I).Order());
        Assert.All(rows, r => Assert.Equal(r.I % 3 == 0 ? null : r.I * 0.5, r.V));
    }

    [Fact]
    public void The_chunk_stream_reads_list_columns_element_by_element_across_chunks()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var lists = new List<(int I, byte?[] Elements)>();
        // lists of 0..4 elements, every seventh element NULL, over three chunks
        ChunkStream.ForEach(db, """
            select cast(range as integer) as i,
                list_transform(range(range % 5), k -> case when (range + k) % 7 = 0 then null else cast((range + k) % 256 as utinyint) end) as w
            from range(5000)
            """, [("i", DuckDBType.Integer), new("w", DuckDBType.List, DuckDBType.UnsignedTinyInt)], chunk =>
            {
                var i = chunk.Values<int>(0);
                var w = chunk.List<byte>(1);
                for (int r = 0; r < chunk.Count; r++)
                {
                    var e = w.Entries[r];
                    var elements = new byte?[(int)e.Length];
                    for (int k = 0; k < elements.Length; k++)
                    {
                        int at = (int)e.Offset + k;
                        elements[k] = ChunkStream.IsValid(w.ElementValidity, at) ? w.Elements[at] : null;
                    }
                    lists.Add((i[r], elements));
                }
            }, Ct);
        Assert.Equal(5000, lists.Count);
        Assert.All(lists, l => Assert.Equal(
            Enumerable.Range(0, l.I % 5).Select(k => (l.I + k) % 7 == 0 ? null : (byte?)((l.I + k) % 256)), l.Elements));
        var wrongElement = Assert.Throws<KernelException>(() => ChunkStream.ForEach(db, "select [1.5, 2.5] as w",
            [new("w", DuckDBType.List, DuckDBType.UnsignedTinyInt)], _ => { }, Ct));
        Assert.Contains("column 1 must be w UnsignedTinyInt[], the query returns w Decimal[]", wrongElement.Message);
    }

    [Fact]
    public void The_chunk_stream_refuses_a_column_of_another_name_or_type_and_reports_sql_errors()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var wrongType = Assert.Throws<KernelException>(() => ChunkStream.ForEach(db, "select 1.5 as v",
            [("v", DuckDBType.Double)], _ => { }, Ct));
        Assert.Contains("column 1 must be v Double", wrongType.Message);
        var missing = Assert.Throws<KernelException>(() => ChunkStream.ForEach(db, "select 1 as a",
            [("a", DuckDBType.Integer), ("b", DuckDBType.Double)], _ => { }, Ct));
        Assert.Contains("expected 2 columns", missing.Message);
        var bad = Assert.Throws<KernelException>(() => ChunkStream.ForEach(db, "select * from no_such_table",
            [("a", DuckDBType.Integer)], _ => { }, Ct));
        Assert.Contains("no_such_table", bad.Message);
    }

    [Fact]
    public void A_kernel_directive_names_a_known_kernel_and_its_file_holds_its_inputs()
    {
        var kernel = ModelMaterialization.Of(new SqlFile("models/intermediate/k.sql",
            "-- k: x\n-- materialized: kernel head_reductions partitioned by model from int_benchmark_runs_filtered_to_latest\nselect 1"));
        Assert.Equal(("head_reductions", "model", "int_benchmark_runs_filtered_to_latest"),
            (kernel.Kernel, kernel.PartitionColumn, kernel.PartitionSource));

        var unknown = SqlProject.Embedded.WithFile("models/marts/zz_kernel.sql",
            "-- zz_kernel: x\n-- materialized: kernel no_such_kernel partitioned by model from int_benchmark_runs_filtered_to_latest\nselect 1 as model");
        Assert.Contains("no kernel named no_such_kernel", Assert.Throws<TransformException>(() => unknown.Validate()).Message);

        const string path = "models/intermediate/int_facts_of_latest_runs_reduced_per_head.sql";
        string sql = SqlProject.Embedded.Models.Single(m => m.Path == path).Sql;
        var oneInput = SqlProject.Embedded.WithFile(path, sql[..sql.IndexOf("-- input 2", StringComparison.Ordinal)].TrimEnd().TrimEnd(';'));
        Assert.Contains("must hold the 2 input selects of kernel head_reductions (found 1)", BuildFails(oneInput, "kernel-inputs").Message);
    }
}
