using System.Globalization;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// The standard sweep of paper-method.md "Ablation": for every K (the given percentages of all heads, as counts),
/// top:K, <see cref="AblationOptions.Draws"/> × random:K:d and stage:S:K for each stage that has K heads; then the
/// late-stage removal stage:late:K for the late counts the model has (up to 100 late heads), plus all late heads when
/// the late stage holds fewer than the largest count. The baseline comes first. Specs repeat nothing.
/// </summary>
public static class SweepPlan
{
    public static IReadOnlyList<string> Specs(ModelShape shape, IReadOnlyList<double> percents, IReadOnlyList<int> lateCounts, int draws)
    {
        var stageSize = StageRule.Stages.ToDictionary(s => s, s => shape.All().Count(h => shape.StageOf(h) == s));
        var specs = new List<string> { "baseline" };
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        foreach (int k in percents.Select(p => HeadSelections.CountForPercent(p, shape.Total)).Where(k => k > 0).Distinct().Order())
        {
            specs.Add($"top:{I(k)}");
            for (int d = 0; d < draws; d++) specs.Add($"random:{I(k)}:{I(d)}");
            specs.AddRange(StageRule.Stages.Where(s => stageSize[s] >= k).Select(s => $"stage:{s}:{I(k)}"));
        }
        int late = stageSize["late"];
        var counts = lateCounts.Where(c => c > 0 && c <= late).ToList();
        if (late > 0 && lateCounts.Count > 0 && late < lateCounts.Max()) counts.Add(late);   // a 2-layer model has no late stage
        specs.AddRange(counts.Distinct().Order().Select(c => $"stage:late:{I(c)}"));
        return specs.Distinct().ToList();
    }
}
