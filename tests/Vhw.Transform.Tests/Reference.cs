namespace Vhw.Transform.Tests;

/// <summary>One raw head_facts row as read back from the Parquet (floats widened to double).</summary>
public sealed record FactRow(string Model, string Benchmark, string RunId, string SampleId, string QueryKind, int Layer, int Head,
    int NKeys, int NImage, int NRegion, int NText, double ImageFraction, double? ImageConcentration, double? RegionFraction,
    double TextFraction);

public sealed record RunRow(string Model, string Benchmark, string RunId, DateTime? StartedAt, DateTime? FinishedAt);

public sealed record SampleRow(string Model, string Benchmark, string RunId, string SampleId, string QueryKind, bool? Correct);

public sealed record ExpectedHead(string RunId, int NSamples, double MeanImageFraction, double? StdImageFraction,
    double? MeanImageConcentration, double? StdImageConcentration, double MeanImageLift, double? MeanRegionFraction,
    double MeanTextFraction, double DetectionScore, int TopN, double RelativeDepth, int DepthDecile, string Stage)
{
    public int Rank { get; set; }

    /// <summary>head_scores.is_top_head: rank within the model's top N.</summary>
    public bool IsTopHead => Rank <= TopN;
}

/// <summary>The marts recomputed with plain C# loops from the raw rows, following the documented rules.</summary>
public static class Reference
{
    /// <summary>The authors' stage tables (jing-bi/visual-head get_range) for 32 and 40 layers; the 10/32, 20/32 split otherwise.</summary>
    public static string Stage(int layer, int nLayers)
    {
        (int early, int middle) = nLayers switch
        {
            32 => (10, 20),
            40 => (13, 27),
            _ => ((int)Math.Ceiling(nLayers * 10 / 32.0), (int)Math.Ceiling(nLayers * 20 / 32.0)),
        };
        return layer < early ? "early" : layer < middle ? "middle" : "late";
    }

    /// <summary>floor(10 × layer / n_layers), exact in integers.</summary>
    public static int DepthDecile(int layer, int nLayers) => 10 * layer / nLayers;

    public static int TopN(int modelHeads) => Math.Max(1, (int)Math.Round(0.05m * modelHeads, MidpointRounding.AwayFromZero));

    /// <summary>The run per model × benchmark × query_kind: latest finished_at, then started_at, then run_id; undescribed runs last.</summary>
    public static Dictionary<(string Model, string Benchmark, string QueryKind), string> LatestRuns(
        IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs)
    {
        var latest = new Dictionary<(string, string, string), string>();
        foreach (var group in facts.Select(f => (f.Model, f.Benchmark, f.QueryKind, f.RunId)).Distinct()
                     .GroupBy(c => (c.Model, c.Benchmark, c.QueryKind)))
        {
            var ordered = group.Select(c => (c.RunId, Run: runs.FirstOrDefault(r => r.Model == c.Model && r.Benchmark == c.Benchmark && r.RunId == c.RunId)))
                .OrderBy(c => c.Run?.FinishedAt is null ? 1 : 0).ThenByDescending(c => c.Run?.FinishedAt)
                .ThenBy(c => c.Run?.StartedAt is null ? 1 : 0).ThenByDescending(c => c.Run?.StartedAt)
                .ThenByDescending(c => c.RunId, StringComparer.Ordinal);
            latest[group.Key] = ordered.First().RunId;
        }
        return latest;
    }

    /// <summary>The head facts of the latest run of each model × benchmark × query_kind.</summary>
    public static List<FactRow> UsedFacts(IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs)
    {
        var latest = LatestRuns(facts, runs);
        return facts.Where(f => latest[(f.Model, f.Benchmark, f.QueryKind)] == f.RunId).ToList();
    }

    /// <summary>Per sample, every head's rank by image_fraction (1 = most; ties: layer, then head).</summary>
    public static Dictionary<FactRow, int> SampleRanks(IEnumerable<FactRow> used)
    {
        var ranks = new Dictionary<FactRow, int>(ReferenceEqualityComparer.Instance);
        foreach (var sample in used.GroupBy(f => (f.Model, f.Benchmark, f.QueryKind, f.RunId, f.SampleId)))
        {
            int rank = 1;
            foreach (var f in sample.OrderByDescending(f => f.ImageFraction).ThenBy(f => f.Layer).ThenBy(f => f.Head))
                ranks[f] = rank++;
        }
        return ranks;
    }

    public static Dictionary<(string Model, string Benchmark, string QueryKind, int Layer, int Head), ExpectedHead> HeadScores(
        IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs, IReadOnlyDictionary<string, (int Layers, int Heads)> shapes)
    {
        var used = UsedFacts(facts, runs);
        var sampleRanks = SampleRanks(used);
        bool InTopN(FactRow f) => sampleRanks[f] <= TopN(shapes[f.Model].Layers * shapes[f.Model].Heads);

        var result = new Dictionary<(string, string, string, int, int), ExpectedHead>();
        foreach (var g in used.GroupBy(f => (f.Model, f.Benchmark, f.QueryKind, f.Layer, f.Head)))
        {
            var rows = g.ToList();
            int n = rows.Count;
            var (layers, heads) = shapes[g.Key.Model];
            double sum = 0, liftSum = 0, textSum = 0;
            foreach (var r in rows)
            {
                sum += r.ImageFraction;
                liftSum += r.ImageFraction / ((double)r.NImage / r.NKeys);
                textSum += r.TextFraction;
            }
            double mean = sum / n;
            double squares = 0;
            foreach (var r in rows) squares += (r.ImageFraction - mean) * (r.ImageFraction - mean);
            var concentrations = rows.Where(r => r.ImageConcentration is not null).Select(r => r.ImageConcentration!.Value).ToList();
            var regions = rows.Where(r => r.RegionFraction is not null).Select(r => r.RegionFraction!.Value).ToList();
            result[g.Key] = new ExpectedHead(rows[0].RunId, n, mean, n > 1 ? Math.Sqrt(squares / (n - 1)) : null,
                concentrations.Count > 0 ? concentrations.Sum() / concentrations.Count : null,
                concentrations.Count > 1 ? MathNet.Numerics.Statistics.Statistics.StandardDeviation(concentrations) : null, liftSum / n,
                regions.Count > 0 ? regions.Sum() / regions.Count : null, textSum / n,
                rows.Count(InTopN) / (double)n, TopN(layers * heads), (double)g.Key.Layer / layers,
                DepthDecile(g.Key.Layer, layers), Stage(g.Key.Layer, layers));
        }

        // rank 1 = highest mean image fraction per model × benchmark × query_kind (ties: layer, then head)
        foreach (var group in result.GroupBy(kv => (kv.Key.Item1, kv.Key.Item2, kv.Key.Item3)))
        {
            int rank = 1;
            foreach (var kv in group.OrderByDescending(kv => kv.Value.MeanImageFraction).ThenBy(kv => kv.Key.Item4).ThenBy(kv => kv.Key.Item5))
                kv.Value.Rank = rank++;
        }
        return result;
    }

    /// <summary>Accuracy per model × benchmark over the samples of the latest runs, one row per sample (answer_step2 first).</summary>
    public static Dictionary<(string Model, string Benchmark), (int NSamples, int NScored, int NCorrect, double? Accuracy)> Accuracy(
        IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs, IReadOnlyList<SampleRow> samples)
    {
        var latest = LatestRuns(facts, runs);
        return samples
            .Where(s => latest.TryGetValue((s.Model, s.Benchmark, s.QueryKind), out var run) && run == s.RunId)
            .GroupBy(s => (s.Model, s.Benchmark, s.SampleId))
            .Select(g => g.OrderBy(s => s.QueryKind, StringComparer.Ordinal).ThenBy(s => s.RunId, StringComparer.Ordinal).First())
            .GroupBy(s => (s.Model, s.Benchmark))
            .ToDictionary(g => g.Key, g =>
            {
                int scored = g.Count(s => s.Correct is not null), correct = g.Count(s => s.Correct == true);
                return (g.Count(), scored, correct, scored > 0 ? correct / (double)scored : (double?)null);
            });
    }
}
