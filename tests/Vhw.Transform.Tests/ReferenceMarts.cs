using MathNet.Numerics.Statistics;

namespace Vhw.Transform.Tests;

using HeadKey = (string Model, string Benchmark, string QueryKind, int Layer, int Head);
using SetKey = (string Model, string Benchmark, string QueryKind);

public sealed record ExpectedStageCell(int NHeads, int NTopHeads, double TopHeadShare, double HeadShare,
    double StageTopHeadShare, double StageHeadShare, double DecileTopHeadShare, double DecileHeadShare);

public sealed record ExpectedConcentrationVsAccuracy(int NTopHeads, double? TopConcentration, double TopFraction,
    double? Accuracy, int NModels, double? AcrossPearson, double? AcrossSpearman);

public sealed record ExpectedStability(int? NCommon, double? Spearman, double? Jaccard, int KA, int KB,
    double DepthA, double DepthB, double Overlap);

public sealed record ExpectedDynamics(int NSamples, int NActive, double ActivationRate, double EntropyBits, double TopNRate,
    double? StdImageFraction, double P10, double Median, double P90, double MeanSampleRank, double? StdSampleRank);

/// <summary>stage_distribution, model_concentration_vs_accuracy, rank_stability and head_activation_dynamics in plain C#.</summary>
public static class ReferenceMarts
{
    public static Dictionary<(SetKey Set, string Stage, int Decile), ExpectedStageCell> StageDistribution(
        Dictionary<HeadKey, ExpectedHead> heads)
    {
        var result = new Dictionary<(SetKey, string, int), ExpectedStageCell>();
        foreach (var set in heads.GroupBy(kv => (kv.Key.Model, kv.Key.Benchmark, kv.Key.QueryKind)))
        {
            var all = set.Select(kv => kv.Value).ToList();
            int total = all.Count, top = all.Count(h => h.IsTopHead);
            foreach (var cell in all.GroupBy(h => (h.Stage, h.DepthDecile)))
            {
                var stage = all.Where(h => h.Stage == cell.Key.Stage).ToList();
                var decile = all.Where(h => h.DepthDecile == cell.Key.DepthDecile).ToList();
                result[(set.Key, cell.Key.Stage, cell.Key.DepthDecile)] = new ExpectedStageCell(cell.Count(), cell.Count(h => h.IsTopHead),
                    cell.Count(h => h.IsTopHead) / (double)top, cell.Count() / (double)total,
                    stage.Count(h => h.IsTopHead) / (double)top, stage.Count / (double)total,
                    decile.Count(h => h.IsTopHead) / (double)top, decile.Count / (double)total);
            }
        }
        return result;
    }

    public static Dictionary<SetKey, ExpectedConcentrationVsAccuracy> ConcentrationVsAccuracy(Dictionary<HeadKey, ExpectedHead> heads,
        Dictionary<(string Model, string Benchmark), (int NSamples, int NScored, int NCorrect, double? Accuracy)> accuracy)
    {
        var perSet = heads.GroupBy(kv => (kv.Key.Model, kv.Key.Benchmark, kv.Key.QueryKind)).ToDictionary(g => g.Key, g =>
        {
            var top = g.Select(kv => kv.Value).Where(h => h.IsTopHead).ToList();
            var concentrations = top.Where(h => h.MeanImageConcentration is not null).Select(h => h.MeanImageConcentration!.Value).ToList();
            double? acc = accuracy.TryGetValue((g.Key.Model, g.Key.Benchmark), out var a) ? a.Accuracy : null;
            return (NTop: top.Count, Conc: concentrations.Count > 0 ? concentrations.Average() : (double?)null,
                Frac: top.Average(h => h.MeanImageFraction), Acc: acc);
        });
        var result = new Dictionary<SetKey, ExpectedConcentrationVsAccuracy>();
        foreach (var (key, v) in perSet)
        {
            var peers = perSet.Where(p => p.Key.Benchmark == key.Benchmark && p.Key.QueryKind == key.QueryKind
                                          && p.Value.Conc is not null && p.Value.Acc is not null)
                .OrderBy(p => p.Key.Model, StringComparer.Ordinal).ToList();
            double[] c = peers.Select(p => p.Value.Conc!.Value).ToArray(), acc = peers.Select(p => p.Value.Acc!.Value).ToArray();
            bool enough = peers.Count >= 3;
            result[key] = new ExpectedConcentrationVsAccuracy(v.NTop, v.Conc, v.Frac, v.Acc, peers.Count,
                enough ? Correlation.Pearson(c, acc) : null, enough ? Correlation.Spearman(c, acc) : null);
        }
        return result;
    }

    public static Dictionary<(string Comparison, string QueryKind, string ModelA, string BenchmarkA, string ModelB, string BenchmarkB), ExpectedStability>
        RankStability(Dictionary<HeadKey, ExpectedHead> heads, IReadOnlyList<ToyModel> models)
    {
        var sets = heads.GroupBy(kv => (kv.Key.Model, kv.Key.Benchmark, kv.Key.QueryKind))
            .ToDictionary(g => g.Key, g => g.ToDictionary(kv => (kv.Key.Layer, kv.Key.Head), kv => kv.Value));
        var result = new Dictionary<(string, string, string, string, string, string), ExpectedStability>();
        foreach (var a in sets.Keys)
            foreach (var b in sets.Keys)
            {
                var ma = models.Single(m => m.Name == a.Model);
                var mb = models.Single(m => m.Name == b.Model);
                if (a.QueryKind != b.QueryKind) continue;
                bool acrossBenchmarks = a.Model == b.Model && string.CompareOrdinal(a.Benchmark, b.Benchmark) < 0;
                bool acrossScales = ma.Family == mb.Family && ma.Scale != mb.Scale && a.Benchmark == b.Benchmark
                                    && (ma.Params < mb.Params || (ma.Params == mb.Params && string.CompareOrdinal(a.Model, b.Model) < 0));
                if (!acrossBenchmarks && !acrossScales) continue;
                var ha = sets[a];
                var hb = sets[b];
                var topA = ha.Where(kv => kv.Value.IsTopHead).ToList();
                var topB = hb.Where(kv => kv.Value.IsTopHead).ToList();
                int? nCommon = null;
                double? spearman = null, jaccard = null;
                if (acrossBenchmarks)
                {
                    var common = ha.Keys.Intersect(hb.Keys).OrderBy(k => k).ToList();
                    nCommon = common.Count;
                    spearman = Correlation.Spearman(common.Select(k => ha[k].MeanImageFraction), common.Select(k => hb[k].MeanImageFraction));
                    var setA = topA.Select(kv => kv.Key).ToHashSet();
                    var setB = topB.Select(kv => kv.Key).ToHashSet();
                    jaccard = setA.Intersect(setB).Count() / (double)setA.Union(setB).Count();
                }
                double overlap = Enumerable.Range(0, 10).Sum(d =>
                    Math.Min(topA.Count(kv => kv.Value.DepthDecile == d) / (double)topA.Count, topB.Count(kv => kv.Value.DepthDecile == d) / (double)topB.Count));
                result[(acrossBenchmarks ? "across_benchmarks" : "across_scales", a.QueryKind, a.Model, a.Benchmark, b.Model, b.Benchmark)] =
                    new ExpectedStability(nCommon, spearman, jaccard, topA.Count, topB.Count,
                        topA.Average(kv => kv.Value.RelativeDepth), topB.Average(kv => kv.Value.RelativeDepth), overlap);
            }
        return result;
    }

    public static Dictionary<HeadKey, ExpectedDynamics> HeadActivationDynamics(IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs,
        IReadOnlyDictionary<string, (int Layers, int Heads)> shapes)
    {
        var used = Reference.UsedFacts(facts, runs);
        var ranks = Reference.SampleRanks(used);
        var result = new Dictionary<HeadKey, ExpectedDynamics>();
        foreach (var g in used.GroupBy(f => (f.Model, f.Benchmark, f.QueryKind, f.Layer, f.Head)))
        {
            var rows = g.ToList();
            int topN = Reference.TopN(shapes[g.Key.Model].Layers * shapes[g.Key.Model].Heads);
            int active = rows.Count(f => f.ImageFraction / ((double)f.NImage / f.NKeys) > 1.0);
            double p = active / (double)rows.Count;
            double entropy = p is <= 0 or >= 1 ? 0 : -p * Math.Log2(p) - (1 - p) * Math.Log2(1 - p);
            double[] fractions = rows.Select(f => f.ImageFraction).ToArray();
            double[] sampleRanks = rows.Select(f => (double)ranks[f]).ToArray();
            result[g.Key] = new ExpectedDynamics(rows.Count, active, p, entropy, rows.Count(f => ranks[f] <= topN) / (double)rows.Count,
                rows.Count > 1 ? Statistics.StandardDeviation(fractions) : null,
                Statistics.QuantileCustom(fractions, 0.1, QuantileDefinition.R7), Statistics.QuantileCustom(fractions, 0.5, QuantileDefinition.R7),
                Statistics.QuantileCustom(fractions, 0.9, QuantileDefinition.R7), sampleRanks.Average(),
                rows.Count > 1 ? Statistics.StandardDeviation(sampleRanks) : null);
        }
        return result;
    }
}
