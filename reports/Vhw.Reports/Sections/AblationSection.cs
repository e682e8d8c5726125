using Vhw.Reports.Figures;
using static Vhw.Reports.ReportValues;

namespace Vhw.Reports.Sections;

/// <summary>
/// Head ablation (`vhw ablate`, mart ablation_effects): per model · benchmark · mode, curves of accuracy and of the
/// share of changed predictions against k (top, random mean with its 5th–95th percentile band, each stage, baseline),
/// the top-k vs random table, and queries/ablation_table.sql and queries/late_stage_pruning.sql. Every number is a
/// mart column. No blocks when the warehouse has no ablation results.
/// </summary>
public sealed class AblationSection : IReportSection
{
    private static readonly string[] Stages = ["early", "middle", "late"];

    public int Order => 80;

    public IEnumerable<ReportBlock> Build(ReportContext context)
    {
        if (!context.HasRelation("ablation_effects")) yield break;
        var r = context.Query.Run("""
            select model, benchmark, mode, score, strategy, stage, k, baseline_accuracy,
                   accuracy, random_mean_accuracy, random_p05_accuracy, random_p95_accuracy,
                   changed_share, random_mean_changed_share, random_p05_changed_share, random_p95_changed_share
            from ablation_effects
            where strategy in ('top', 'stage') and score is not null
            order by model, benchmark, mode, score, k
            """, context.Ct);
        if (r.Rows.Count == 0) yield break;

        yield return new HeadingBlock(2, "Head ablation");
        yield return new ParagraphBlock("Heads are removed while the model answers the benchmark (scored by its own rule). maskout is the authors' " +
            "operation: the head's attention logits are set to 0 after the causal mask, so it averages all values; zero_output zeroes the head " +
            "before o_proj. top = the k heads ranked highest by the head score; random = draws of k heads outside the top k " +
            "(seeded by the model name), shown as mean and 5th–95th percentile band; early / middle / late = the k best heads of that stage. " +
            "Accuracy alone says little when a model is at chance or at zero (the untrained default): the second plot shows the share of " +
            "predictions that changed at all.");
        foreach (var g in r.Rows.GroupBy(row => (Model: Str(r, row, "model"), Benchmark: Str(r, row, "benchmark"), Mode: Str(r, row, "mode"),
                     Score: Str(r, row, "score"))))
        {
            string caption = $"{g.Key.Model} · {g.Key.Benchmark} · {g.Key.Mode} · ranked by {g.Key.Score}";
            yield return new HeadingBlock(3, caption);
            var rows = g.ToList();
            double[] ks = rows.Select(row => (double)Int(r, row, "k")).Distinct().Order().ToArray();
            double[] Column(string column, string strategy, string? stage = null) => ks.Select(k => rows
                .Where(row => Int(r, row, "k") == (int)k && Str(r, row, "strategy") == strategy && (stage is null || Str(r, row, "stage") == stage))
                .Select(row => Dbl(r, row, column)).DefaultIfEmpty(double.NaN).First()).ToArray();

            foreach (var (measure, label, baseline) in new[]
                     { ("accuracy", "accuracy", Dbl(r, rows[0], "baseline_accuracy")), ("changed_share", "share of predictions changed", 0.0) })
            {
                var figure = new AblationCurvesFigure($"{g.Key.Model} · {g.Key.Benchmark} · {g.Key.Mode}", label, ks,
                    new AblationLine("top visual heads", Column(measure, "top")),
                    new AblationLine("random (mean)", Column($"random_mean_{measure}", "top")),
                    Column($"random_p05_{measure}", "top"), Column($"random_p95_{measure}", "top"),
                    Stages.Select(s => new AblationLine($"{s} stage", Column(measure, "stage", s))).ToList(),
                    baseline);
                yield return new FigureBlock($"{label} vs heads removed, {caption}",
                    $"ablation-{Slug(measure)}_{Slug(g.Key.Model)}_{Slug(g.Key.Benchmark)}_{Slug(g.Key.Mode)}_{Slug(g.Key.Score)}.png", figure.RenderPng());
            }
        }

        yield return new ParagraphBlock("Top-k against the random draws of the same k: percentile = where top-k's accuracy falls among them " +
            "(mid-rank; low = removing the top heads hurts more), with the exact McNemar p of top-k against the unablated model " +
            "(n_lost right → wrong, n_gained wrong → right).");
        yield return new TableBlock(context.Query.Run("""
            select model, benchmark, mode, score, k, k_share, baseline_accuracy, accuracy as top_accuracy, random_n_draws,
                   random_mean_accuracy, random_p05_accuracy, random_p95_accuracy, random_percentile,
                   n_lost, n_gained, mcnemar_p, changed_share, random_mean_changed_share, n
            from ablation_effects
            where strategy = 'top'
            order by model, benchmark, mode, score, k
            """, context.Ct));
        yield return new ParagraphBlock("Accuracy change from the unablated model per strategy × k (queries/ablation_table.sql).");
        yield return new TableBlock(context.Query.RunNamed("ablation_table", context.Ct));
        yield return new ParagraphBlock("Removing the best late-stage heads, up to 100 (queries/late_stage_pruning.sql).");
        yield return new TableBlock(context.Query.RunNamed("late_stage_pruning", context.Ct));
    }
}
