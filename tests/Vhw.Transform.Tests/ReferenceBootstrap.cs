using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Vhw.Transform.Tests;

public sealed record ExpectedCorrelation(int NHeads, int NSamples, double Pearson, double Spearman,
    double? PearsonLow, double? PearsonHigh, double? PearsonSe, double? PearsonBias,
    double? SpearmanLow, double? SpearmanHigh, double? SpearmanSe, double? SpearmanBias,
    double? FisherLow, double? FisherHigh, int NReplicates);

/// <summary>
/// weight_concentration_corr recomputed in C#: an explicit Poisson bootstrap over samples (weights from MD5 of
/// "seed:replicate:sample_id", inverse-CDF Poisson(1)), weighted head means, MathNet Pearson/Spearman, R7 quantiles.
/// </summary>
public static class ReferenceBootstrap
{
    public const int Seed = 20250611;
    public const int Replicates = 1000;

    /// <summary>u = (first 32 bits of md5("seed:r:sample_id") + 0.5) / 2^32.</summary>
    public static double Uniform(int replicate, string sampleId)
    {
        byte[] md5 = MD5.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Seed}:{replicate}:{sampleId}")));
        uint x = (uint)(md5[0] << 24 | md5[1] << 16 | md5[2] << 8 | md5[3]);
        return (x + 0.5) / 4294967296.0;
    }

    /// <summary>Smallest k with P(K ≤ k) ≥ u, K ~ Poisson(1), capped at 10.</summary>
    public static int Poisson1(double u)
    {
        double cumulative = 0, term = 1; // term = 1 / k!
        for (int k = 0; k < 10; k++)
        {
            cumulative += term;
            if (u <= Math.Exp(-1) * cumulative) return k;
            term /= k + 1;
        }
        return 10;
    }

    public static int Weight(int replicate, string sampleId) => Poisson1(Uniform(replicate, sampleId));

    public static Dictionary<(string Model, string Benchmark, string QueryKind), ExpectedCorrelation> WeightConcentrationCorr(
        IReadOnlyList<FactRow> facts, IReadOnlyList<RunRow> runs, int replicates = Replicates)
    {
        var result = new Dictionary<(string, string, string), ExpectedCorrelation>();
        foreach (var g in Reference.UsedFacts(facts, runs).GroupBy(f => (f.Model, f.Benchmark, f.QueryKind)))
        {
            var rows = g.ToList();
            var heads = rows.Select(f => (f.Layer, f.Head)).Distinct().OrderBy(h => h.Layer).ThenBy(h => h.Head).ToList();
            string[] sampleIds = rows.Select(f => f.SampleId).Distinct().ToArray();
            var byHead = rows.GroupBy(f => (f.Layer, f.Head)).ToDictionary(h => h.Key, h => h.ToList());

            var (x, y) = Means(heads, byHead, _ => 1);
            double pearson = Correlation.Pearson(x, y), spearman = Correlation.Spearman(x, y);

            var pearsons = new List<double>();
            var spearmans = new List<double>();
            for (int r = 1; r <= replicates; r++)
            {
                var weights = sampleIds.ToDictionary(s => s, s => Weight(r, s));
                if (weights.Values.All(w => w == 0)) continue;
                var (bx, by) = Means(heads, byHead, f => weights[f.SampleId]);
                double p = Correlation.Pearson(bx, by), s = Correlation.Spearman(bx, by);
                if (double.IsFinite(p)) pearsons.Add(p);
                if (double.IsFinite(s)) spearmans.Add(s);
            }

            double z = Normal.InvCDF(0, 1, 0.975);
            int n = x.Length;
            double? fisherLow = n > 3 && Math.Abs(pearson) < 1 ? Math.Tanh(Math.Atanh(pearson) - z / Math.Sqrt(n - 3)) : null;
            double? fisherHigh = n > 3 && Math.Abs(pearson) < 1 ? Math.Tanh(Math.Atanh(pearson) + z / Math.Sqrt(n - 3)) : null;
            result[g.Key] = new ExpectedCorrelation(n, sampleIds.Length, pearson, spearman,
                Q(pearsons, 0.025), Q(pearsons, 0.975), Sd(pearsons), pearsons.Count > 0 ? pearsons.Average() - pearson : null,
                Q(spearmans, 0.025), Q(spearmans, 0.975), Sd(spearmans), spearmans.Count > 0 ? spearmans.Average() - spearman : null,
                fisherLow, fisherHigh, pearsons.Count);
        }
        return result;
    }

    // Weighted head means sum(w × v) / sum(w) over non-NULL values; heads lacking either mean are left out.
    private static (double[] X, double[] Y) Means(List<(int Layer, int Head)> heads,
        Dictionary<(int Layer, int Head), List<FactRow>> byHead, Func<FactRow, int> weight)
    {
        var x = new List<double>();
        var y = new List<double>();
        foreach (var h in heads)
        {
            double sx = 0, wx = 0, sy = 0, wy = 0;
            foreach (var f in byHead[h])
            {
                int w = weight(f);
                if (w == 0) continue;
                sx += w * f.ImageFraction; wx += w;
                if (f.ImageConcentration is { } c) { sy += w * c; wy += w; }
            }
            if (wx == 0 || wy == 0) continue;
            x.Add(sx / wx);
            y.Add(sy / wy);
        }
        return (x.ToArray(), y.ToArray());
    }

    private static double? Q(List<double> values, double tau) =>
        values.Count == 0 ? null : Statistics.QuantileCustom(values.ToArray(), tau, QuantileDefinition.R7);

    private static double? Sd(List<double> values) => values.Count > 1 ? Statistics.StandardDeviation(values) : null;
}
