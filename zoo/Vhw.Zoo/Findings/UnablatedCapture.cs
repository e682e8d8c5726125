using Vhw.Ingest.Ablation;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Ablation;

namespace Vhw.Zoo.Findings;

/// <summary>
/// The unablated model's samples and head facts on a benchmark folder, made by ingest's own code path
/// (<see cref="ModelSession.Process"/> → <c>HeadFacts.From</c>, the one implementation of the warehouse metrics), without
/// writing a warehouse. Per-head means are the head_scores definitions: mean_image_fraction = avg(image_fraction),
/// mean_image_lift = avg(image_fraction / (n_image_tokens / n_keys)) (macro lift_over_even).
/// </summary>
public sealed record UnablatedCapture(int Layers, int Heads, IReadOnlyList<SampleRow> Samples, IReadOnlyList<HeadFactRow> Facts)
{
    public static UnablatedCapture Run(ModelSession session, string benchmarkDir, int limit)
    {
        var text = session.Loaded.Config.TextConfig;
        var samples = new List<SampleRow>();
        var facts = new List<HeadFactRow>();
        foreach (var s in BenchmarkReader.Read(benchmarkDir).OfType<BenchmarkSample>().Take(limit))
        {
            var outcome = session.Process(s, "unablated", benchmarkDir);
            if (outcome.Sample is null) throw new InvalidDataException($"{s.Id} rejected: {outcome.Reject?.Reason}");
            samples.Add(outcome.Sample);
            facts.AddRange(outcome.Facts!);
        }
        return new UnablatedCapture(text.NumHiddenLayers, text.NumAttentionHeads, samples, facts);
    }

    /// <summary>Mean image fraction per head, index layer · heads + head.</summary>
    public double[] MeanImageFraction() => Mean(f => f.ImageFraction);

    /// <summary>Mean image lift over even attention per head, index layer · heads + head.</summary>
    public double[] MeanImageLift() => Mean(f => f.ImageFraction / ((double)f.NImageTokens / f.NKeys));

    /// <summary>Heads by mean image fraction, highest first, ties by (layer, head): head_scores' rank.</summary>
    public HeadRanking Ranking(string benchmark)
    {
        var mean = MeanImageFraction();
        var order = Enumerable.Range(0, mean.Length).OrderByDescending(i => mean[i]).ThenBy(i => i)
            .Select(i => new HeadRef(i / Heads, i % Heads)).ToList();
        return new HeadRanking("mean_image_fraction", benchmark, order);
    }

    double[] Mean(Func<HeadFactRow, double> value)
    {
        var sum = new double[Layers * Heads];
        var count = new int[sum.Length];
        foreach (var f in Facts)
        {
            sum[f.Layer * Heads + f.Head] += value(f);
            count[f.Layer * Heads + f.Head]++;
        }
        return sum.Select((s, i) => s / count[i]).ToArray();
    }
}
