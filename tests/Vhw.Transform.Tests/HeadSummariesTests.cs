using Vhw.Transform.Summaries;

namespace Vhw.Transform.Tests;

/// <summary>
/// Head summaries (schema.sql head_summaries, macros/partial_aggregates.sql): the per-part partial aggregates that
/// <c>int_attention_aggregated_to_run_head</c> combines instead of aggregating the facts again. The shared fixture has
/// none, so its core table is built from the facts (and its marts match the naive reference, HeadScoresTests). The same
/// warehouse with every part summarised, with some summaries missing, duplicated or stale, must give the same table;
/// and a summary's numbers must be what the transform reads when it is usable.
/// </summary>
public sealed class HeadSummariesTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Core = """
        select * from int_attention_aggregated_to_run_head
        order by model, benchmark, query_kind, run_id, layer, head
        """;

    private static string SummaryDir(string root) => Path.Combine(root, HeadSummaryWriter.Table);

    private static List<string> SummaryFiles(string root) =>
        Directory.EnumerateFiles(SummaryDir(root), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    private static (List<object?[]> Rows, List<string> Progress) Transform(string root)
    {
        var progress = new ListProgress();
        new TransformRunner(WarehouseFixture.FewReplicates, progress).Run(root, ct: Ct);
        using var q = new QueryRunner(root);
        return (q.Run(Core, Ct).Rows.ToList(), progress.Lines);
    }

    private void AssertCoreOfFixture(List<object?[]> actual, string what)
    {
        List<object?[]> expected;
        using (var q = new QueryRunner(w.Root)) expected = q.Run(Core, Ct).Rows.ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            for (int c = 0; c < expected[i].Length; c++)
                if (expected[i][c] is double e) Approx.Equal(e, actual[i][c] is null ? null : Convert.ToDouble(actual[i][c]), $"{what}: row {i} column {c}");
                else Assert.True(Equals(expected[i][c], actual[i][c]), $"{what}: row {i} column {c}: expected {expected[i][c]}, got {actual[i][c]}");
    }

    [Fact]
    public void Summarised_parts_give_the_table_of_the_facts_and_writing_them_is_idempotent()
    {
        string root = TempFolder.Create("summaries");
        try
        {
            SyntheticWarehouse.Create(root);
            var first = HeadSummaryWriter.WriteMissing(root, ct: Ct);
            Assert.True(first.FactParts > 1);
            Assert.Equal(first.FactParts, first.Summarised);
            Assert.Equal(0, first.AlreadySummarised);
            var files = SummaryFiles(root);
            Assert.Equal(first.Files, files.Count);

            var again = HeadSummaryWriter.WriteMissing(root, ct: Ct);
            Assert.Equal((0, first.FactParts, 0), (again.Summarised, again.AlreadySummarised, again.Files));
            Assert.Equal(files, SummaryFiles(root));

            var (rows, progress) = Transform(root);
            Assert.Contains($"head summaries cover all {first.FactParts:N0} fact parts", progress);
            AssertCoreOfFixture(rows, "every part summarised");

            // with no part left unsummarised (the runner's count) the facts of "every other part" are not even listed:
            // an empty plan; unset (the SQL run by hand) or above 0, the parts are checked against the list
            using var q = new QueryRunner(root);
            string Plan(string count) =>
                string.Concat(q.Run($"set variable vhw_unsummarised_parts = {count}; explain select * from head_partials([], false)", Ct)
                    .Rows.Select(r => string.Join(" ", r)));
            Assert.Contains("EMPTY_RESULT", Plan("0"));
            Assert.DoesNotContain("EMPTY_RESULT", Plan("1"));
            Assert.DoesNotContain("EMPTY_RESULT", Plan("null"));
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Missing_duplicated_and_stale_summaries_fall_back_to_the_facts()
    {
        string root = TempFolder.Create("summaries-partial");
        try
        {
            SyntheticWarehouse.Create(root);
            HeadSummaryWriter.WriteMissing(root, ct: Ct);
            var files = SummaryFiles(root);
            Assert.True(files.Count >= 3);

            // one summary gone, one copied under a second name (its parts summarised twice)
            File.Delete(files[0]);
            File.Copy(files[1], Path.Combine(Path.GetDirectoryName(files[1])!, "summary-copy.parquet"));
            var (rows, progress) = Transform(root);
            Assert.Contains(progress, l => l.StartsWith("head summaries cover ", StringComparison.Ordinal) && l.Contains(" of ", StringComparison.Ordinal));
            AssertCoreOfFixture(rows, "a summary missing, one duplicated");

            // a fact part rewritten without one of its samples after it was summarised: its summary no longer matches
            // its row count, so the transform must aggregate that part's facts (it holds fewer samples now)
            string part = Directory.EnumerateFiles(Path.Combine(root, "head_facts"), "*.parquet", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal).Last();
            RewriteWithoutOneSample(part);
            var (staleRows, _) = Transform(root);
            string clean = TempFolder.Create("summaries-none");
            try
            {
                CopyWithoutSummaries(root, clean);
                var (expected, cleanProgress) = Transform(clean);
                Assert.Contains(cleanProgress, l => l.StartsWith("head summaries cover 0 of", StringComparison.Ordinal));
                Assert.Equal(expected.Count, staleRows.Count);
                for (int i = 0; i < expected.Count; i++)
                    for (int c = 0; c < expected[i].Length; c++)
                        if (expected[i][c] is double e) Approx.Equal(e, staleRows[i][c] is null ? null : Convert.ToDouble(staleRows[i][c]), $"stale: row {i} column {c}");
                        else Assert.Equal(expected[i][c], staleRows[i][c]);
                // and the rewrite did change the table: the fallback was needed
                Assert.Contains(Enumerable.Range(0, expected.Count), i => !Equals(rows[i][6], expected[i][6]));
            }
            finally
            {
                TempFolder.Delete(clean);
            }
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void A_usable_summary_is_what_the_transform_reads()
    {
        string root = TempFolder.Create("summaries-read");
        try
        {
            SyntheticWarehouse.Create(root);
            HeadSummaryWriter.WriteMissing(root, ct: Ct);
            // double every image_fraction sum in one file (counts and part_rows unchanged, so it stays usable)
            string file = SummaryFiles(root)[0];
            Duck($"""
                copy (select * replace (sum_image_fraction * 2 as sum_image_fraction) from read_parquet('{file}', hive_partitioning = false))
                to '{file}.new' (format parquet)
                """);
            File.Move(file + ".new", file, overwrite: true);
            var (rows, _) = Transform(root);
            int mean = 7; // mean_image_fraction
            List<object?[]> expected;
            using (var q = new QueryRunner(w.Root)) expected = q.Run(Core, Ct).Rows.ToList();
            Assert.Contains(Enumerable.Range(0, expected.Count), i => Math.Abs((double)expected[i][mean]! - (double)rows[i][mean]!) > 1e-3);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    [Fact]
    public void Runs_over_several_parts_match_the_naive_reference_with_and_without_summaries()
    {
        string root = TempFolder.Create("summaries-synth");
        try
        {
            // 2 models × 2 benchmarks × 10 samples × (4 × 4 heads), 3 samples per part: every run spans 4 parts, so the
            // per-part partials must be combined (means and squared deviations across parts)
            var options = new Synthetic.SynthOptions(root, Facts: 2 * 2 * 10 * 16, Models: 2, Benchmarks: 2, Layers: 4, Heads: 4, ChunkSamples: 3);
            Synthetic.SyntheticWarehouseWriter.Write(options, ct: Ct);
            Assert.Equal(16, HeadSummaryWriter.WriteMissing(root, ct: Ct).AlreadySummarised);
            var (_, progress) = Transform(root);
            Assert.Contains("head summaries cover all 16 fact parts", progress);
            AssertHeadScoresOfReference(root, "summarised");

            Directory.Delete(SummaryDir(root), recursive: true);
            (_, progress) = Transform(root);
            Assert.Contains(progress, l => l.StartsWith("head summaries cover 0 of 16", StringComparison.Ordinal));
            AssertHeadScoresOfReference(root, "from the facts");
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    private static void AssertHeadScoresOfReference(string root, string what)
    {
        var (facts, runs, _, shapes) = RawRows.Read(root);
        var expected = Reference.HeadScores(facts, runs, shapes);
        using var q = new QueryRunner(root);
        var scores = q.Run("select * from head_scores", Ct);
        Assert.Equal(expected.Count, scores.Rows.Count);
        foreach (var row in scores.Rows)
        {
            var key = (WarehouseFixture.Str(scores, row, "model"), WarehouseFixture.Str(scores, row, "benchmark"),
                WarehouseFixture.Str(scores, row, "query_kind"), WarehouseFixture.Int(scores, row, "layer"), WarehouseFixture.Int(scores, row, "head"));
            var e = expected[key];
            string at = $"{what}, {key}";
            Assert.Equal(e.NSamples, WarehouseFixture.Int(scores, row, "n_samples"));
            Approx.Equal(e.MeanImageFraction, WarehouseFixture.Dbl(scores, row, "mean_image_fraction"), $"{at} mean_image_fraction");
            Approx.Equal(e.StdImageFraction, WarehouseFixture.Dbl(scores, row, "std_image_fraction"), $"{at} std_image_fraction");
            Approx.Equal(e.MeanImageConcentration, WarehouseFixture.Dbl(scores, row, "mean_image_concentration"), $"{at} mean_image_concentration");
            Approx.Equal(e.StdImageConcentration, WarehouseFixture.Dbl(scores, row, "std_image_concentration"), $"{at} std_image_concentration");
            Approx.Equal(e.MeanImageLift, WarehouseFixture.Dbl(scores, row, "mean_image_lift"), $"{at} mean_image_lift");
            Approx.Equal(e.MeanRegionFraction, WarehouseFixture.Dbl(scores, row, "mean_region_fraction"), $"{at} mean_region_fraction");
            Approx.Equal(e.MeanTextFraction, WarehouseFixture.Dbl(scores, row, "mean_text_fraction"), $"{at} mean_text_fraction");
        }
    }

    private static void RewriteWithoutOneSample(string part)
    {
        Duck($"""
            copy (select * from read_parquet('{part}', hive_partitioning = false) where sample_id <> (select min(sample_id) from read_parquet('{part}', hive_partitioning = false)))
            to '{part}.new' (format parquet)
            """);
        File.Move(part + ".new", part, overwrite: true);
    }

    // a Parquet file rewritten by a throwaway DuckDB
    private static void Duck(string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void CopyWithoutSummaries(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(HeadSummaryWriter.Table, StringComparison.Ordinal) || relative.StartsWith(Warehouse.DatabaseFileName, StringComparison.Ordinal))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
