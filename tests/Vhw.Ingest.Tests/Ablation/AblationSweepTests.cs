using System.Globalization;
using Vhw.Ingest.Ablation;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.Ablation;

/// <summary>`vhw ablate` end to end on the tiny default (see <see cref="AblatedWarehouse"/> for what its numbers mean).</summary>
public sealed class AblationSweepTests(AblatedWarehouse w, ITestOutputHelper output) : IClassFixture<AblatedWarehouse>
{
    [Fact]
    public void The_baseline_evaluation_reproduces_the_ingested_predictions_exactly()
    {
        var ingested = Duck.Query(w.Warehouse, "select sample_id, prediction, first_token_id from samples order by sample_id");
        var baseline = Duck.Query(w.Warehouse, """
            select s.sample_id, s.prediction, s.first_token_id
            from ablation_samples s join ablation_results r on s.eval_id = r.eval_id
            where r.strategy = 'baseline' order by s.sample_id
            """);
        Assert.Equal(AblatedWarehouse.Samples, ingested.Count);
        Assert.Equal(ingested.Select(Row), baseline.Select(Row));
        // against its own predictions the baseline is right wherever the scorer accepts the answer at all (it refuses
        // an answer that normalises to nothing, e.g. only non-letters)
        double selfAgreement = ingested.Count(r => AnswerScorer.IsCorrect((string)r[1]!, (string)r[1]!)) / (double)ingested.Count;
        Assert.Equal(selfAgreement, Convert.ToDouble(Duck.Query(w.Warehouse, "select accuracy from ablation_results where strategy = 'baseline'")[0][0], CultureInfo.InvariantCulture), 12);
        Assert.True(selfAgreement > 0.5, $"the agreement benchmark is degenerate ({selfAgreement})");
        static string Row(object?[] r) => string.Join('|', r);
    }

    [Fact]
    public void Top_10_percent_is_placed_in_the_distribution_of_20_random_10_percent_draws_with_a_paired_test()
    {
        using var q = new QueryRunner(w.Warehouse);
        var top = q.Run("""
            select k, heads, accuracy, baseline_accuracy, delta, random_n_draws, random_mean_accuracy, random_p05_accuracy,
                   random_p95_accuracy, random_percentile, n_lost, n_gained, mcnemar_p, ci_low, ci_high, n, changed_share
            from ablation_effects where strategy = 'top'
            """);
        var row = Assert.Single(top.Rows);
        double D(string c) => Convert.ToDouble(row[top.IndexOf(c)], CultureInfo.InvariantCulture);
        int I(string c) => Convert.ToInt32(row[top.IndexOf(c)], CultureInfo.InvariantCulture);
        Assert.Equal(2, I("k"));                                                    // 10 % of 16 heads
        Assert.Equal(AblatedWarehouse.Draws, I("random_n_draws"));

        // percentile, recomputed from the 20 random rows (mid-rank)
        var random = q.Run("select accuracy, heads from ablation_effects where strategy = 'random' and k = 2").Rows;
        var accuracies = random.Select(r => Convert.ToDouble(r[0], CultureInfo.InvariantCulture)).ToList();
        double expected = 100.0 * (accuracies.Count(a => a < D("accuracy")) + 0.5 * accuracies.Count(a => a == D("accuracy"))) / accuracies.Count;
        Assert.Equal(expected, D("random_percentile"), 9);
        var topHeads = ((string)row[top.IndexOf("heads")]!).Split(',');
        Assert.All(random, r => Assert.Empty(((string)r[1]!).Split(',').Intersect(topHeads)));   // random draws exclude the top heads

        // paired test, recomputed from the per-sample rows of both evaluations
        var pairs = Duck.Query(w.Warehouse, """
            select count_if(b.correct and not a.correct)::integer, count_if(not b.correct and a.correct)::integer, count(*)::integer
            from ablation_results r
            join ablation_samples a on a.eval_id = r.eval_id
            join ablation_samples b on b.eval_id = r.baseline_eval_id and b.sample_id = a.sample_id
            where r.strategy = 'top'
            """)[0].Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal((pairs[0], pairs[1], pairs[2]), (I("n_lost"), I("n_gained"), I("n")));
        Assert.Equal(AblationStats.McNemarExact(pairs[0], pairs[1]), D("mcnemar_p"), 12);
        Assert.Equal(D("accuracy") - D("baseline_accuracy"), D("delta"), 12);
        Assert.InRange(D("accuracy"), D("ci_low"), D("ci_high"));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tiny default, agreement benchmark, n = {I("n")}, maskout, k = 2 of 16 heads (top by mean_image_fraction: {row[top.IndexOf("heads")]}): " +
            $"top accuracy {D("accuracy"):0.###} [{D("ci_low"):0.###}, {D("ci_high"):0.###}] vs baseline {D("baseline_accuracy"):0.###}, " +
            $"McNemar p = {D("mcnemar_p"):0.####} (lost {I("n_lost")}, gained {I("n_gained")}); random mean {D("random_mean_accuracy"):0.###} " +
            $"[p05 {D("random_p05_accuracy"):0.###}, p95 {D("random_p95_accuracy"):0.###}]; top at percentile {D("random_percentile"):0.#} of {I("random_n_draws")} draws"));
    }

    [Fact]
    public void The_sweep_wrote_every_point_once_and_shares_evaluations_between_equal_head_sets()
    {
        var s = Assert.Single(w.FirstSweep.Sweeps);
        Assert.Equal(1 + 1 + AblatedWarehouse.Draws + 3 + 1, s.Points);             // baseline, top, random × 20, stages, all late
        Assert.Equal(s.Points, s.ResultsWritten);
        var counts = Duck.Query(w.Warehouse, "select count(*), count(distinct eval_id), count(distinct result_id) from ablation_results")[0];
        Assert.Equal((long)s.Points, Convert.ToInt64(counts[0]));
        Assert.Equal((long)s.Points, Convert.ToInt64(counts[2]));
        Assert.Equal(Convert.ToInt64(counts[1]), s.EvaluationsComputed);
        Assert.Equal(Convert.ToInt64(counts[1]) * AblatedWarehouse.Samples, Duck.Scalar(w.Warehouse, "select count(*) from ablation_samples"));
        Assert.Equal(4, Duck.Scalar(w.Warehouse, "select k from ablation_results where spec = 'stage:late:4'"));
    }

    [Fact]
    public void A_rerun_computes_nothing_and_changes_no_file()
    {
        var before = Files(w.Warehouse);
        var (code, outcome) = w.Sweep(w.Warehouse);
        Assert.Equal(0, code);
        var s = Assert.Single(outcome.Sweeps);
        Assert.Equal((0, 0, s.Points), (s.EvaluationsComputed, s.ResultsWritten, s.ResultsSkipped));
        Assert.Equal(before, Files(w.Warehouse));
    }

    [Fact]
    public void A_crash_mid_sweep_resumes_with_the_same_results()
    {
        string copy = Path.Combine(w.Root, "crashed");
        CopyDirectory(w.Warehouse, copy);
        // the crash: one evaluation lost its second chunk (part and manifest line), a temp file was left behind, two
        // result rows were never written
        var top = Duck.Query(copy, "select eval_id, result_id from ablation_results where strategy = 'top'")[0];
        string evalId = (string)top[0]!;
        string samplesDir = Path.Combine(copy, "ablation_samples", "model=tiny-llava-vicuna", $"benchmark={AblatedWarehouse.Agreement}");
        File.Delete(Path.Combine(samplesDir, $"part-{evalId}-00001.parquet"));
        File.WriteAllText(Path.Combine(samplesDir, $"part-{evalId}-00001.parquet.tmp"), "half-written");
        string manifest = Directory.GetFiles(Path.Combine(copy, "_manifests"), $"ablation-{evalId}.jsonl", SearchOption.AllDirectories).Single();
        File.WriteAllLines(manifest, File.ReadLines(manifest).Take(1));
        string resultsDir = Path.Combine(copy, "ablation_results", "model=tiny-llava-vicuna", $"benchmark={AblatedWarehouse.Agreement}");
        string randomResult = (string)Duck.Query(copy, "select result_id from ablation_results where spec = 'random:2:7'")[0][0]!;
        foreach (string id in new[] { (string)top[1]!, randomResult }) File.Delete(Path.Combine(resultsDir, $"part-{id}.parquet"));

        var (code, outcome) = w.Sweep(copy);

        Assert.Equal(0, code);
        var s = Assert.Single(outcome.Sweeps);
        Assert.Equal((2, 1), (s.ResultsWritten, s.EvaluationsComputed));           // only the lost chunk was recomputed
        Assert.Empty(Directory.GetFiles(samplesDir, "*.tmp"));
        const string Numbers = "select spec, n, n_correct, n_lost, n_gained, mcnemar_p, n_changed, heads from ablation_results order by spec";
        Assert.Equal(Duck.Query(w.Warehouse, Numbers).Select(r => string.Join('|', r)), Duck.Query(copy, Numbers).Select(r => string.Join('|', r)));
    }

    [Fact]
    public void Both_modes_share_the_baseline_evaluation_and_label_it_once_each()
    {
        string copy = Path.Combine(w.Root, "two-modes");
        CopyDirectory(w.Warehouse, copy);
        var (code, outcome) = w.Sweep(copy, extra: new Dictionary<string, string?>
        {
            ["Select:0"] = "list:0.1,1.2,2.3", ["Modes:0"] = "maskout", ["Modes:1"] = "zero_output",
        });
        Assert.Equal(0, code);
        var s = Assert.Single(outcome.Sweeps);
        Assert.Equal((4, 3, 1), (s.Points, s.ResultsWritten, s.ResultsSkipped));   // the maskout baseline row exists already
        Assert.Equal(2, s.EvaluationsComputed);                                      // the 3-head list (no sweep point has 3) in each mode
        var rows = Duck.Query(copy, "select mode, strategy, eval_id from ablation_results where strategy = 'baseline' or spec like 'list:%' order by strategy, mode");
        Assert.Equal(["maskout|baseline", "zero_output|baseline", "maskout|list", "zero_output|list"], rows.Select(r => $"{r[0]}|{r[1]}"));
        Assert.Equal(rows[0][2], rows[1][2]);
        Assert.NotEqual(rows[2][2], rows[3][2]);
    }

    [Fact]
    public void The_report_shows_the_ablation_curves_and_tables()
    {
        string dir = Path.Combine(w.Root, "report");
        var result = Vhw.Reports.ReportBuilder.Build(w.Warehouse, dir);
        string md = File.ReadAllText(result.MarkdownPath);
        Assert.Contains("## Head ablation", md);
        foreach (string measure in new[] { "accuracy", "changed-share" })
        {
            string png = Path.Combine(dir, $"ablation-{measure}_tiny-llava-vicuna_{AblatedWarehouse.Agreement}_maskout_mean-image-fraction.png");
            Assert.Contains(Path.GetFileName(png), md);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png).Take(4));
        }
        Assert.Contains("| top_k002 | random_k002 | early_k002 | middle_k002 | late_k002 | late_k004 |", md);   // ablation_table
        Assert.Contains("late_heads_removed", md);                                                                 // late_stage_pruning
    }

    private static List<string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith(".duckdb", StringComparison.Ordinal) && !f.EndsWith(".wal", StringComparison.Ordinal))
        .Select(f => $"{Path.GetRelativePath(root, f)}:{new FileInfo(f).Length}:{File.GetLastWriteTimeUtc(f).Ticks}").Order().ToList();

    private static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
