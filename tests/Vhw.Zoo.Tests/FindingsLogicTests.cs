using Vhw.Ingest.Ablation;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;
using Vhw.Zoo.Findings;

namespace Vhw.Zoo.Tests;

/// <summary>The pieces the must-show checks are built from, on inputs whose answers are known.</summary>
public sealed class FindingsLogicTests
{
    [Fact]
    public void Binomial_upper_tail_matches_exact_values_and_the_engines_mcnemar()
    {
        Assert.Equal(11.0 / 1024, BinomialTest.UpperTail(9, 10, 0.5), 15);         // P(X ≥ 9), n = 10: (C(10,9) + C(10,10)) / 2^10
        Assert.Equal(1.0, BinomialTest.UpperTail(0, 50, 0.3), 15);
        Assert.Equal(Math.Pow(0.25, 5), BinomialTest.UpperTail(5, 5, 0.25), 15);
        Assert.Equal(1 - Math.Pow(0.75, 4), BinomialTest.UpperTail(1, 4, 0.25), 15);
        foreach (var (lost, gained) in new[] { (3, 9), (0, 7), (12, 12), (40, 61), (1, 0) })
        {
            int n = lost + gained, hi = Math.Max(lost, gained);      // two-sided exact McNemar = 2 · P(X ≥ max) at ½, capped at 1
            Assert.Equal(AblationStats.McNemarExact(lost, gained), Math.Min(1, 2 * BinomialTest.UpperTail(hi, n, 0.5)), 12);
        }
        Assert.True(BinomialTest.AboveChance(64, 100, 0.5));       // p ≈ 0.0033
        Assert.False(BinomialTest.AboveChance(61, 100, 0.5));      // p ≈ 0.018
    }

    [Fact]
    public void Chance_rates_derived_from_the_answers_are_the_rates_the_generators_build_in()
    {
        var train = ZooDataset.Generate(new ZooDataSpec { TrainPerBenchmark = 1200, TrainCaptions = 10, ValPerBenchmark = 10, TestPerBenchmark = 10 }).Train;
        var chance = ChanceRates.Derive(train);
        Assert.Equal(ZooTestData.Benchmarks.Order(), chance.Keys.Order());
        Assert.Equal(0.5, chance[PopeLike.Name], 12);               // yes/no balanced per split
        Assert.Equal(0.25, chance[ChoiceTasks.MmBench], 12);        // letters balanced per type
        Assert.Equal(0.25, chance[ChoiceTasks.Seed], 12);
        Assert.Equal(4.0 / 9, chance[QbenchLike.Name], 0.005);      // (½ + ½ + ⅓) / 3; the A–C letter cycle of 400 lighting items is 135/135/130
        Assert.InRange(chance[PointQaLike.Name], 0.19, 0.27);       // (≈0.19 popular kind + ¼ + ¼) / 3, sampled
        // a benchmark where one answer dominates a task is as easy to guess as that answer is common
        var s = train[0].Scene;
        QaItem I(string task, string answer) => new("x", task, s, "q", answer);
        Assert.Equal((3 + 2) / 6.0, ChanceRates.Of([I("a", "1"), I("a", "1"), I("a", "1"), I("a", "2"), I("b", "9"), I("b", "9")]), 12);
    }

    [Fact]
    public void Members_are_discovered_by_folder_with_their_controls()
    {
        string root = Directory.CreateTempSubdirectory("vhw-zoo-members-").FullName;
        try
        {
            foreach (var d in new[] { "vicuna-s2", "vicuna-s2-init", "llama3-s1", "phi3-s4-init", "notes" })
            {
                Directory.CreateDirectory(Path.Combine(root, d));
                if (d != "notes") File.WriteAllText(Path.Combine(root, d, "config.json"), "{}");
            }
            var members = ZooMember.Discover(root);
            Assert.Equal(["llama3-s1", "vicuna-s2"], members.Select(m => m.Name));
            Assert.Null(members[0].ControlDir);
            Assert.Equal(Path.Combine(root, "vicuna-s2-init"), members[1].ControlDir);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Bars_give_the_smallest_members_the_higher_pope_bar_and_test_every_other_benchmark_and_the_white_image()
    {
        var small = Member("a-s1", 1000, pope: (0.88, 0.50), mmbench: (0.36, 0.25));
        var tie = Member("b-s1", 1000, pope: (0.91, 0.45), mmbench: (0.35, 0.70));
        var large = Member("c-s2", 5000, pope: (0.86, 0.52), mmbench: (0.40, 0.20));
        var checks = MustShowBars.Evaluate([small, tie, large]);
        BarCheck C(string model, string bench, bool white) =>
            checks.Single(c => c.Model == model && c.Benchmark == bench && c.Bar.StartsWith("white", StringComparison.Ordinal) == white);
        Assert.Equal(3 * 2 * 2, checks.Count);
        Assert.Equal("accuracy >= 0.90 (smallest member)", C("a-s1", PopeLike.Name, false).Bar);
        Assert.False(C("a-s1", PopeLike.Name, false).Met);          // 88 % < 90 %
        Assert.True(C("b-s1", PopeLike.Name, false).Met);           // tied smallest, 91 %
        Assert.Equal("accuracy >= 0.85", C("c-s2", PopeLike.Name, false).Bar);
        Assert.True(C("c-s2", PopeLike.Name, false).Met);
        Assert.True(C("a-s1", ChoiceTasks.MmBench, false).Met);     // 36/100 at ¼: p = 0.0094
        Assert.False(C("b-s1", ChoiceTasks.MmBench, false).Met);    // 35/100 at ¼: p = 0.016
        Assert.True(C("c-s2", ChoiceTasks.MmBench, false).Met);     // 40/100: p = 7e-4
        Assert.True(C("a-s1", PopeLike.Name, true).Met);            // white 50 % at ½: p = 0.54
        Assert.False(C("b-s1", ChoiceTasks.MmBench, true).Met);     // white 70 % at ¼: still clearly above chance
    }

    [Fact]
    public void Reconcile_reports_unlisted_misses_stale_entries_unknown_bars_and_drifted_values()
    {
        BarCheck Miss(string model, double v) => new(model, "pope-like", "accuracy >= 0.85", v, false);
        var checks = new[] { Miss("a", 0.70), Miss("b", 0.80), new BarCheck("c", "pope-like", "accuracy >= 0.85", 0.90, true) };
        Shortfall S(string model, double v, string bar = "accuracy >= 0.85") => new(model, "pope-like", bar, v);
        Assert.Empty(Shortfalls.Reconcile(checks, [S("a", 0.70), S("b", 0.81)], 0.03));
        Assert.Contains(Shortfalls.Reconcile(checks, [S("a", 0.70)], 0.03), p => p.StartsWith("unlisted miss: b", StringComparison.Ordinal));
        Assert.Contains(Shortfalls.Reconcile(checks, [S("a", 0.70), S("b", 0.80), S("c", 0.80)], 0.03), p => p.StartsWith("listed miss now meets", StringComparison.Ordinal));
        Assert.Contains(Shortfalls.Reconcile(checks, [S("a", 0.70), S("b", 0.80), S("a", 0.7, "accuracy >= 0.90")], 0.03), p => p.StartsWith("listed but not measured", StringComparison.Ordinal));
        Assert.Contains(Shortfalls.Reconcile(checks, [S("a", 0.60), S("b", 0.80)], 0.03), p => p.StartsWith("listed measured 0.6", StringComparison.Ordinal));
        Assert.Contains(Shortfalls.Reconcile(checks, [S("a", 0.70), S("b", 0.80), S("b", 0.80)], 0.03), p => p.StartsWith("listed 2 times", StringComparison.Ordinal));
        var roundTrip = Shortfalls.Of(checks);
        Assert.Equal(["a", "b"], roundTrip.Select(s => s.Model));
        Assert.Empty(Shortfalls.Reconcile(checks, roundTrip, 0));
    }

    [Fact]
    public void Refresh_lists_todays_misses_and_keeps_a_note_only_where_its_entry_still_holds()
    {
        BarCheck Check(string model, double v, bool met) => new(model, "pope-like", "accuracy >= 0.85", v, met);
        var checks = new[] { Check("a", 0.70, false), Check("b", 0.60, false), Check("c", 0.90, true), Check("d", 0.50, false) };
        Shortfall S(string model, double v, string note) => new(model, "pope-like", "accuracy >= 0.85", v, note);
        var refreshed = Shortfalls.Refresh(checks, [S("a", 0.71, "a's note"), S("b", 0.80, "b's stale note"), S("c", 0.80, "c now meets")], 0.03);
        Assert.Equal(["a", "b", "d"], refreshed.Select(s => s.Model));
        Assert.Equal(["a's note", null, null], refreshed.Select(s => s.Note));
        Assert.Equal([0.70, 0.60, 0.50], refreshed.Select(s => s.Measured));
        Assert.Empty(Shortfalls.Reconcile(checks, refreshed, 0));
    }

    /// <summary>
    /// The position probe reads a label that is a linear function of the features, on held-out rows, and stays near
    /// chance for labels that are not (shuffled against the same features); the fit rows never score.
    /// </summary>
    [Fact]
    public void Position_probe_reads_linearly_encoded_labels_and_stays_at_chance_for_unrelated_ones()
    {
        const int rows = 4000, classes = 16;
        var rng = new ZooRng(7, 1);
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(classes)).ToArray();
        var shuffled = labels.OrderBy(_ => rng.NextDouble()).ToArray();
        // features: 8 noisy coordinates that hold the label as a random code, plus 8 of pure noise
        var code = Enumerable.Range(0, classes * 8).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var x = new double[rows * 16];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < 16; j++)
                x[r * 16 + j] = (j < 8 ? code[labels[r] * 8 + j] : 0) + 0.05 * (rng.NextDouble() - 0.5);
        using var features = TorchSharp.torch.tensor(x, [rows, 16]);
        var fit = Enumerable.Range(0, rows).Select(r => r < rows / 2).ToArray();
        Assert.True(PositionProbe.Accuracy(features, labels, classes, fit) > 0.97);
        Assert.InRange(PositionProbe.Accuracy(features, shuffled, classes, fit), 0.0, 0.12);      // chance 1/16
        // a held-out half whose labels were never seen in the fit cannot be read: the probe scores only unseen rows
        var flipped = labels.Select((l, r) => r < rows / 2 ? l : (l + 1) % classes).ToArray();
        Assert.True(PositionProbe.Accuracy(features, flipped, classes, fit) < 0.03);
        Assert.Throws<ArgumentException>(() => PositionProbe.Accuracy(features, labels, classes, new bool[rows]));
    }

    static MemberFindings Member(string name, long parameters, (double Real, double White) pope, (double Real, double White) mmbench)
    {
        BenchmarkFinding B(string bench, (double Real, double White) a, double chance) =>
            new(new BenchmarkScore(bench, 100, a.Real, a.White, new Dictionary<string, double>()), chance);
        var lift = new HeadLiftStats(1, 1, [1.0], 1, 1, 1, 0, 0);
        return new MemberFindings(name, parameters, 1, 1, 1, 8, [B(PopeLike.Name, pope, 0.5), B(ChoiceTasks.MmBench, mmbench, 0.25)], lift, lift,
            new PositionProbe.Result(1, 1, 1, 1, 1, 2), null, null, TimeSpan.Zero);
    }

    [Fact]
    public void A_member_that_fails_to_measure_is_named_with_its_first_cause()
    {
        string root = Directory.CreateTempSubdirectory("vhw-findings-fail-").FullName;
        try
        {
            var data = new ZooTestData(root, 1, new Dictionary<string, double>());
            var members = new[] { new ZooMember("ghost-s9", Path.Combine(root, "no-such-member"), null) };
            var e = Assert.Throws<AggregateException>(() => ZooFindings.Measure(members, data, new FindingsSettings(), root));
            var named = Assert.IsType<InvalidOperationException>(Assert.Single(e.InnerExceptions));
            Assert.StartsWith("measuring ghost-s9 failed: ", named.Message);
            Assert.NotNull(named.InnerException);
            Assert.Contains(named.InnerException!.Message, named.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
