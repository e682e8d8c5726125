using System.Globalization;
using Vhw.Ingest.Ablation;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Ablation;

namespace Vhw.Zoo.Findings;

/// <summary>One ablated head set scored against the baseline over the same samples (exact McNemar on the discordant pairs).</summary>
public sealed record AblationPoint(HeadSelection Selection, IReadOnlyList<AblationSampleRow> Samples, int Correct, int Lost, int Gained, double McNemarP)
{
    public int N => Samples.Count;
    public double Accuracy => (double)Correct / N;
}

/// <summary>The issue-4 check on one model: the top visual heads against random head sets of the same size.</summary>
/// <param name="Unablated">The capture pass that ranks the heads (its predictions must equal <see cref="Baseline"/>'s).</param>
/// <param name="Baseline">The empty selection, run through the ablation engine.</param>
/// <param name="TopPercentile">Mid-rank percentile of the top set's accuracy among the random draws (<see cref="AblationStats.RandomPercentile"/>).</param>
public sealed record VisualHeadAblationResult(
    string Model, string Mode, double Percent, HeadRanking Ranking, UnablatedCapture Unablated,
    AblationPoint Baseline, AblationPoint Top, IReadOnlyList<AblationPoint> Random, double TopPercentile)
{
    public int N => Baseline.N;
    public int K => Top.Selection.K;
}

/// <summary>
/// Ablates a model's top visual heads (ranked by mean image fraction on the model's own samples of the benchmark) and
/// seeded random head sets of the same size that exclude them, with the ablation engine itself: selections by
/// <see cref="HeadSelections"/> (top:P%, random:P%:d), predictions by <see cref="AblationEvaluation"/> (parts written to a
/// scratch warehouse), statistics by <see cref="AblationStats"/>.
/// </summary>
public static class VisualHeadAblation
{
    public const double DefaultPercent = 10;
    public const int MinDraws = 20;

    public static async Task<VisualHeadAblationResult> RunAsync(ModelSession session, string benchmarkDir, int limit, int draws,
        string scratchWarehouse, HeadAblationMode mode = HeadAblationMode.Maskout, double percent = DefaultPercent, CancellationToken ct = default)
    {
        if (draws < MinDraws) throw new ArgumentOutOfRangeException(nameof(draws), $"the random control needs at least {MinDraws} draws");
        string benchmark = Path.GetFileName(Path.GetFullPath(benchmarkDir).TrimEnd('/'));
        var unablated = UnablatedCapture.Run(session, benchmarkDir, limit);
        var ranking = unablated.Ranking(benchmark);
        var shape = new ModelShape(unablated.Layers, unablated.Heads);
        string P(double v) => v.ToString(CultureInfo.InvariantCulture) + "%";
        var specs = new List<string> { "baseline", $"top:{P(percent)}" };
        specs.AddRange(Enumerable.Range(0, draws).Select(d => $"random:{P(percent)}:{d.ToString(CultureInfo.InvariantCulture)}"));
        var selections = specs.Select(s => HeadSelections.Resolve(s, shape, session.Name, ranking)).ToList();

        string questionsSha = RunIdentity.Sha256OfFile(Ingest.Benchmarks.BenchmarkReader.QuestionsPath(benchmarkDir));
        var evaluation = new AblationEvaluation(session, scratchWarehouse);
        var results = new List<IReadOnlyList<AblationSampleRow>>();
        foreach (var s in selections)
        {
            var id = new EvaluationIdentity(session.Name, session.WeightsSha256, benchmark, questionsSha,
                s.Heads.Count == 0 ? EvaluationIdentity.NoMode : HeadAblation.ModeName(mode), s.HeadList,
                session.MaxNewTokens, limit, ChunkSize: 1024, "float32", EvaluationIdentity.CurrentEngineVersion);
            // the empty selection goes through the engine as an empty HeadAblation, not null: it must take the unablated path
            var result = await evaluation.RunAsync(id, s.ToAblation(mode), benchmarkDir, samplesDone: null, ct);
            if (!result.Complete) throw new OperationCanceledException(ct);
            if (result.Rejects > 0) throw new InvalidDataException($"{session.Name} {s.Spec}: {result.Rejects} samples rejected");
            results.Add(result.Samples);
        }

        var baselineRows = results[0];
        var before = baselineRows.ToDictionary(r => r.SampleId, r => r.Correct, StringComparer.Ordinal);
        AblationPoint Point(HeadSelection s, IReadOnlyList<AblationSampleRow> rows)
        {
            int lost = rows.Count(r => before[r.SampleId] && !r.Correct), gained = rows.Count(r => !before[r.SampleId] && r.Correct);
            return new AblationPoint(s, rows, rows.Count(r => r.Correct), lost, gained, AblationStats.McNemarExact(lost, gained));
        }
        var points = selections.Zip(results, Point).ToList();
        var random = points.Skip(2).ToList();
        double percentile = AblationStats.RandomPercentile(points[1].Accuracy, random.Select(r => r.Accuracy).ToList());
        return new VisualHeadAblationResult(session.Name, HeadAblation.ModeName(mode), percent, ranking, unablated, points[0], points[1], random, percentile);
    }
}
