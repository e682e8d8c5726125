using System.Globalization;
using System.Text;
using Vhw.Ingest.Ablation;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Findings;

/// <summary>The measured numbers as Markdown: accuracy and chance tests, head lifts with the controls, the visual-head ablation, and the bars.</summary>
public static class FindingsTable
{
    /// <summary>The whole document: title, how and how long it was measured, the tables, and where zoo/models/shortfalls.json disagrees.</summary>
    public static string Document(IReadOnlyList<MemberFindings> members, FindingsSettings settings, IReadOnlyList<BarCheck> checks,
        TimeSpan elapsed, string measuredBy, IReadOnlyList<string> shortfallProblems)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("# Shipped zoo: must-show numbers (issues 3 and 4)\n\n");
        sb.Append(ci, $"Measured by {measuredBy} in {elapsed.TotalSeconds:0} s (");
        sb.Append(string.Join(", ", members.Select(m => string.Create(ci, $"{m.Name} {m.Elapsed.TotalSeconds:0} s"))));
        sb.Append(ci, $"; {Environment.ProcessorCount} CPUs, {settings.Parallelism} member(s) at a time, torch on one thread each) on the default test split, regenerated.\n\n");
        sb.Append(Markdown(members, settings, checks));
        sb.Append("\nMisses are listed with notes in `zoo/models/shortfalls.json`; ");
        sb.Append(shortfallProblems.Count == 0 ? "the list matches this measurement.\n"
            : "**the list does not match this measurement:**\n\n" + string.Concat(shortfallProblems.Select(p => $"- {p}\n")));
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<MemberFindings> members, FindingsSettings settings, IReadOnlyList<BarCheck> checks)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"## Accuracy ({settings.AccuracySamples} test samples per benchmark; real image, then a white image)\n\n");
        sb.Append("Chance = best image-blind guess per question type (`ChanceRates`); p = one-sided exact binomial P(X ≥ correct) at the chance rate.\n\n");
        sb.Append("| model | params | layers × heads (kv) | benchmark | accuracy | chance | p | white image | p (white) |\n");
        sb.Append("|---|---:|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var m in members)
            foreach (var b in m.Benchmarks)
                sb.Append(ci, $"| {m.Name} | {m.Parameters:N0} | {m.Layers} × {m.Heads} ({m.KvHeads}) | {b.Score.Benchmark} | {b.Score.Accuracy:P1} | {b.Chance:0.000} | {P(b.P)} | {b.Score.BlankAccuracy:P1} | {P(b.BlankP)} |\n");

        sb.Append(ci, $"\n## Accuracy per question type ({settings.AccuracySamples} test samples per benchmark, real image)\n\n");
        sb.Append("Each benchmark mixes three question types in equal parts (zoo/README.md, \"Data\"); multiple-choice chance is 25 % per type.\n\n");
        sb.Append("| model | " + string.Join(" | ", ZooTestData.Benchmarks) + " |\n|---|" + string.Concat(ZooTestData.Benchmarks.Select(_ => "---|")) + "\n");
        foreach (var m in members)
            sb.Append($"| {m.Name} | " + string.Join(" | ", ZooTestData.Benchmarks.Select(b =>
                string.Join(" · ", m.Benchmark(b).Score.ByTask.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(ci, $"{t.Key} {t.Value:P0}"))))) + " |\n");

        sb.Append(ci, $"\n## Position probes of the image features ({settings.ProbeScenes} fresh scenes, object cells, held-out half)\n\n");
        sb.Append("Ridge least squares onto one-hot targets, fitted on half the scenes and scored on the other half (`Findings/PositionProbe.cs`). ");
        sb.Append("Spatial questions need the named object's position: one the projected features still give but answered at chance is a skill the decoder lacks; ");
        sb.Append("one the projector loses is information the decoder does not receive with the object.\n\n");
        sb.Append("Tower = the vision tower's feature layer, as the member exports it (one recipe and seed for the zoo; what the projector receives); projected = after the member's projector; ");
        sb.Append("control = after the untrained control's projector (its seeded initialisation), on the same tower.\n\n");
        sb.Append("| model | object cells | grid cell (16-way), tower → projected | quadrant (4-way), tower → projected | content (16-way), projected | grid cell, control | mmbench-like spatial | seed-like relation |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in members)
        {
            var q = m.Probe;
            string Task(string benchmark, string task) => m.Benchmark(benchmark).Score.ByTask.TryGetValue(task, out var v) ? v.ToString("P0", ci) : "–";
            sb.Append(ci, $"| {m.Name} | {q.ObjectCells:N0} | {q.TowerCell:P1} → {q.Cell:P1} | {q.TowerQuadrant:P1} → {q.Quadrant:P1} | {q.Content:P1} | {(m.ControlProbe is { } c ? c.Cell.ToString("P1", ci) : "–")} | {Task(ChoiceTasks.MmBench, "spatial")} | {Task(ChoiceTasks.Seed, "relation")} |\n");
        }

        sb.Append(ci, $"\n## Head image lift over even attention ({settings.LiftSamples} pope-like samples, answer_step2 query)\n\n");
        sb.Append("Top-10 % depth = mean relative depth (0 first layer, 1 last) of the 10 % of heads with the highest lift. Control = the member's untrained `-init` folder.\n\n");
        sb.Append("| model | max | p95 | median | top head (L.H) | its depth | top-10 % depth | halves Spearman | control max | control p95 | control median | control halves Spearman |\n");
        sb.Append("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in members)
        {
            var l = m.Lift;
            int k = HeadSelections.CountForPercent(10, l.Layers * l.Heads);
            sb.Append(ci, $"| {m.Name} | {l.Max:0.00} | {l.P95:0.00} | {l.Median:0.00} | {l.ArgMax / l.Heads}.{l.ArgMax % l.Heads} | {l.TopHeadDepth:0.00} | {l.MeanTopDepth(k):0.00} | {l.HalvesSpearman:0.00} | ");
            sb.Append(m.ControlLift is { } c ? string.Create(ci, $"{c.Max:0.000} | {c.P95:0.000} | {c.Median:0.000} | {c.HalvesSpearman:0.00} |\n") : "– | – | – | – |\n");
        }

        sb.Append(ci, $"\n## Visual-head ablation (pope-like, members at ≥ {settings.AblationBar:P0}; maskout; {settings.AblationSamples} samples)\n\n");
        sb.Append("Top = the 10 % of heads with the highest mean image fraction on these samples; random = seeded 10 % draws that exclude them. ");
        sb.Append("McNemar = exact two-sided on the discordant pairs vs the baseline; percentile = mid-rank of top's accuracy among the draws (low = top hurts more).\n\n");
        sb.Append("| model | k | top heads | baseline | top-k | McNemar p (top) | random mean [min, max] | draws | top-k percentile |\n");
        sb.Append("|---|---:|---|---:|---:|---:|---|---:|---:|\n");
        var ablated = members.Where(m => m.Ablation is not null).ToList();
        foreach (var m in ablated)
        {
            var a = m.Ablation!;
            var r = a.Random.Select(p => p.Accuracy).ToList();
            sb.Append(ci, $"| {m.Name} | {a.K} | {a.Top.Selection.HeadList} | {a.Baseline.Accuracy:P1} | {a.Top.Accuracy:P1} | {P(a.Top.McNemarP)} | {r.Average():P1} [{r.Min():P1}, {r.Max():P1}] | {r.Count} | {a.TopPercentile:0.#} |\n");
        }
        if (ablated.Count == 0) sb.Append("| (no member reaches the bar) | | | | | | | | |\n");

        sb.Append("\n## Bars (issue 3)\n\n| model | benchmark | bar | measured | met |\n|---|---|---|---:|---|\n");
        foreach (var c in checks)
            sb.Append(ci, $"| {c.Model} | {c.Benchmark} | {c.Bar} | {c.Measured:P1} | {(c.Met ? "yes" : "**no**")} |\n");
        return sb.ToString();
    }

    static string P(double p) => p < 1e-4 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
