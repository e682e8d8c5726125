using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Generation;

namespace Vhw.Zoo.Evaluation;

/// <summary>
/// Per-head image attention lift over even attention, mass_image ÷ (n_image / n_keys), of the captured query
/// (answer_step2, as ingest), averaged over samples; also over the two halves (even / odd sample index) for rank stability.
/// A quick in-process view of what the warehouse computes (the warehouse remains the reference).
/// </summary>
public sealed record HeadLiftStats(int Layers, int Heads, double[] Mean, double Max, double P95, double Median, int ArgMax, double HalvesSpearman)
{
    /// <summary>Relative depth (0 = first layer, 1 = last) of the head with the highest mean lift.</summary>
    public double TopHeadDepth => Depth(ArgMax);

    /// <summary>Mean relative depth of the <paramref name="k"/> heads with the highest mean lift (ties by index).</summary>
    public double MeanTopDepth(int k) =>
        Enumerable.Range(0, Mean.Length).OrderByDescending(i => Mean[i]).ThenBy(i => i).Take(k).Average(Depth);

    double Depth(int index) => Layers == 1 ? 0 : (double)(index / Heads) / (Layers - 1);

    public static HeadLiftStats Measure(ZooEvaluator evaluator, string folder, int limit)
    {
        var samples = BenchmarkReader.Read(folder).OfType<BenchmarkSample>().Take(limit).ToList();
        double[]? sumEven = null, sumOdd = null;
        int layers = 0, heads = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            var r = evaluator.Generate(samples[i].Question, Path.Combine(folder, samples[i].ImagePath), CaptureQuery.AnswerStep2);
            (layers, heads) = (r.Layers, r.Heads);
            var lift = new double[r.Layers * r.Heads];
            double even = (double)r.ImageTokenCount / r.KeyCount;
            for (int lh = 0; lh < lift.Length; lh++)
            {
                double mass = 0;
                for (int k = r.ImageStart; k < r.ImageStart + r.ImageTokenCount; k++) mass += r.Rows![lh * r.KeyCount + k];
                lift[lh] = mass / even;
            }
            ref var sum = ref (i % 2 == 0 ? ref sumEven : ref sumOdd);
            sum ??= new double[lift.Length];
            for (int j = 0; j < lift.Length; j++) sum[j] += lift[j];
        }
        int nEven = (samples.Count + 1) / 2, nOdd = samples.Count / 2;
        var a = sumEven!.Select(v => v / nEven).ToArray();
        var b = sumOdd!.Select(v => v / nOdd).ToArray();
        var mean = a.Zip(b, (x, y) => (x * nEven + y * nOdd) / samples.Count).ToArray();
        var sorted = mean.Order().ToArray();
        return new HeadLiftStats(layers, heads, mean, sorted[^1], Quantile(sorted, 0.95), Quantile(sorted, 0.5),
            Array.IndexOf(mean, sorted[^1]), Spearman(a, b));
    }

    static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>Spearman rank correlation (average ranks for ties).</summary>
    public static double Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x); var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my); }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            for (int k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return ranks;
    }
}
