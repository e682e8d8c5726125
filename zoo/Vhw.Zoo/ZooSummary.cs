using System.Globalization;
using System.Text;
using Vhw.Zoo.Data;

namespace Vhw.Zoo;

/// <summary>zoo.md: per model parameters, training time and accuracy per test benchmark (real image / white image), plus the text-only baseline.</summary>
public static class ZooSummary
{
    public static string Markdown(IReadOnlyList<(TrainingReport Training, EvaluationReport? Evaluation)> results, IReadOnlyDictionary<string, double> baseline)
    {
        var names = ZooDataset.Benchmarks.Select(b => b.Name).ToList();
        var sb = new StringBuilder("# Zoo\n\nAccuracy on each test benchmark with the real image / a white image (greedy decoding, scored like ingest).\n\n");
        sb.Append("| model | params | layers×heads | train s | val EM | ").Append(string.Join(" | ", names)).Append(" |\n");
        sb.Append("|---|---|---|---|---|").Append(string.Concat(names.Select(_ => "---|"))).Append('\n');
        foreach (var (t, e) in results)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {t.Name} | {t.Parameters:N0} | {t.Layers}×{t.Heads} (kv {t.KvHeads}) | {t.TrainSeconds:0} | {t.ValExactMatch:P1} | ");
            sb.Append(string.Join(" | ", names.Select(n => e?.Benchmarks.FirstOrDefault(b => b.Benchmark == n) is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{s.Accuracy:P1} / {s.BlankAccuracy:P1}") : "–")));
            sb.Append(" |\n");
        }
        sb.Append("| text-only baseline (majority answer per question text) | | | | | ");
        sb.Append(string.Join(" | ", names.Select(n => baseline.TryGetValue(n, out var v) ? v.ToString("P1", CultureInfo.InvariantCulture) : "–"))).Append(" |\n");
        sb.Append("\nHead image-attention lift over even attention (answer_step2 query, 100 pope-like test samples): trained vs the untrained control.\n\n");
        sb.Append("| model | max | p95 | median | top head (layer, head) | its relative depth | halves Spearman | control max | control p95 | control median | control halves Spearman |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (t, e) in results)
            if (e?.Lift is { } l && e.ControlLift is { } c)
                sb.Append(CultureInfo.InvariantCulture, $"| {t.Name} | {l.Max:0.00} | {l.P95:0.00} | {l.Median:0.00} | ({l.ArgMax / l.Heads}, {l.ArgMax % l.Heads}) | {l.TopHeadDepth:0.00} | {l.HalvesSpearman:0.00} | {c.Max:0.00} | {c.P95:0.00} | {c.Median:0.00} | {c.HalvesSpearman:0.00} |\n");
        return sb.ToString();
    }
}
