using System.Globalization;
using Vhw.Reports;
using Vhw.Reports.Sections;

namespace Vhw.Transform.Tests;

public sealed class ZooSectionTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_zoo_section_shows_the_trained_model_next_to_its_control_with_the_numbers_of_the_raw_rows()
    {
        string root = TempFolder.Create("zoo"), outDir = TempFolder.Create("zoo-report");
        try
        {
            var scores = ZooWarehouse.Create(root);
            new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
            var (facts, runs, _, shapes) = RawRows.Read(root);
            var latest = Reference.LatestRuns(facts, runs);
            var heads = Reference.HeadScores(facts, runs, shapes);
            double Accuracy(string model, string benchmark, string subset) => scores.Single(s =>
                s.Model == model && s.Benchmark == benchmark && s.Subset == subset && s.Metric == "accuracy"
                && s.RunId == latest[(model, benchmark, "answer_step2")]).Value;

            var section = Assert.Single(ReportSections.Discovered.OfType<ZooSection>());
            string md = File.ReadAllText(ReportBuilder.Build(root, outDir, [section], ct: Ct).MarkdownPath);
            var tables = Tables(Section(md, "Zoo"));
            Assert.Equal(3, tables.Count);
            Assert.Contains("-init are the untrained controls", md);

            // members: shape and parameters of the model itself, provenance from training.json, none for the control
            var members = tables[0];
            Assert.Equal([ZooWarehouse.Member, ZooWarehouse.Control], members.Select(r => r["model"]));
            var (member, control) = (members[0], members[1]);
            Assert.Equal(("trained", "untrained control"), (member["role"], control["role"]));
            Assert.Equal($"{shapes[ZooWarehouse.Member].Layers}×{shapes[ZooWarehouse.Member].Heads}", member["layers_x_heads"]);
            Assert.Equal($"{shapes[ZooWarehouse.Control].Layers}×{shapes[ZooWarehouse.Control].Heads}", control["layers_x_heads"]);
            Assert.Equal(Params(ZooWarehouse.MemberSource), long.Parse(member["n_params"], CultureInfo.InvariantCulture));
            Assert.Equal(Params(ZooWarehouse.ControlSource), long.Parse(control["n_params"], CultureInfo.InvariantCulture));
            Assert.Equal(ZooWarehouse.TrainSeconds, Num(member["train_seconds"]));
            Assert.Equal((ZooWarehouse.Stage1Steps, ZooWarehouse.Stage2Steps, ZooWarehouse.BatchSize),
                ((int)Num(member["stage1_steps"]), (int)Num(member["stage2_steps"]), (int)Num(member["batch_size"])));
            Assert.Equal(ZooWarehouse.Stage2Lr, Num(member["stage2_lr"]));
            Assert.Equal("", control["stage2_lr"]);
            Assert.Equal((ZooWarehouse.Scale, ZooWarehouse.Scale), (member["scale"], control["scale"]));
            Assert.Equal(("", "", ""), (control["train_seconds"], control["stage2_steps"], control["batch_size"]));

            // per benchmark: accuracy of the latest run (subset all), lift over the model's heads, each next to the control's
            var benchmarks = tables[1];
            Assert.Equal(["mmbench", "pope"], benchmarks.Select(r => r["benchmark"]));
            foreach (var row in benchmarks)
            {
                string b = row["benchmark"];
                Assert.Equal(ZooWarehouse.Member, row["model"]);
                Near(Accuracy(ZooWarehouse.Member, b, "all"), row["accuracy"]);
                Near(Accuracy(ZooWarehouse.Control, b, "all"), row["control_accuracy"]);
                foreach (var (model, prefix) in new[] { (ZooWarehouse.Member, ""), (ZooWarehouse.Control, "control_") })
                {
                    double[] lifts = heads.Where(kv => kv.Key.Model == model && kv.Key.Benchmark == b && kv.Key.QueryKind == "answer_step2")
                        .Select(kv => kv.Value.MeanImageLift).Order().ToArray();
                    Assert.Equal(shapes[model].Layers * shapes[model].Heads, lifts.Length);
                    Near(lifts[^1], row[prefix + "lift_max"]);
                    Near(Quantile(lifts, 0.95), row[prefix + "lift_p95"]);
                    Near(Quantile(lifts, 0.5), row[prefix + "lift_median"]);
                }
            }

            // per task
            var tasks = tables[2];
            Assert.Equal(2 * ZooWarehouse.Tasks.Length, tasks.Count);
            foreach (var row in tasks)
            {
                Assert.Equal("category", row["subset_kind"]);
                Near(Accuracy(ZooWarehouse.Member, row["benchmark"], row["task"]), row["accuracy"]);
                Near(Accuracy(ZooWarehouse.Control, row["benchmark"], row["task"]), row["control_accuracy"]);
            }
        }
        finally
        {
            TempFolder.Delete(root);
            TempFolder.Delete(outDir);
        }

    }

    [Fact]
    public void Without_a_model_carrying_training_json_there_is_no_zoo_section()
    {
        // the shared warehouse's models parts predate training_json: the column reads as NULL
        using (var q = new QueryRunner(w.Root))
        {
            Assert.Equal(0L, Convert.ToInt64(q.Run("select count(*) from models where training_json is not null", Ct).Rows[0][0], CultureInfo.InvariantCulture));
            Assert.Empty(q.Run("select * from zoo_members", Ct).Rows);
        }
        string outDir = TempFolder.Create("no-zoo");
        try
        {
            var result = ReportBuilder.Build(w.Root, outDir, ReportSections.Discovered.Where(s => s is ZooSection or IntroSection), ct: Ct);
            string md = File.ReadAllText(result.MarkdownPath);
            Assert.DoesNotContain("## Zoo", md);
            Assert.DoesNotContain("untrained control", md);
        }
        finally
        {
            TempFolder.Delete(outDir);
        }
    }

    private static long Params(string model) => SyntheticWarehouse.Models.Single(m => m.Name == model).Params;

    // linear interpolation between the order statistics (DuckDB quantile_cont)
    private static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static double Num(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);

    // the report prints 4 decimals
    private static void Near(double expected, string cell) => Assert.InRange(Num(cell), expected - 5.01e-5, expected + 5.01e-5);

    private static string Section(string md, string heading)
    {
        int start = md.IndexOf($"## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {heading}");
        int end = md.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? md[start..] : md[start..end];
    }

    /// <summary>The Markdown tables of a report part: per table, its rows as column → cell text.</summary>
    private static List<List<Dictionary<string, string>>> Tables(string md)
    {
        var tables = new List<List<Dictionary<string, string>>>();
        string[]? header = null;
        foreach (string line in md.Split('\n'))
        {
            if (!line.StartsWith('|')) { header = null; continue; }
            string[] cells = line.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            if (header is null) { header = cells; tables.Add([]); continue; }
            if (cells.All(c => c.StartsWith("---", StringComparison.Ordinal) || c.EndsWith("---:", StringComparison.Ordinal))) continue;
            tables[^1].Add(header.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        }
        return tables;
    }
}
