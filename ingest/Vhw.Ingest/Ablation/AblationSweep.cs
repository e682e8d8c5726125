using Vhw.Ingest.Benchmarks.Sources;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Ablation;

namespace Vhw.Ingest.Ablation;

/// <summary>What one model × benchmark sweep did.</summary>
public sealed record SweepSummary(
    string Model, string Benchmark, int Points, int EvaluationsComputed, int EvaluationsReused, int ResultsWritten, int ResultsSkipped,
    double? BaselineAccuracy, bool Complete, TimeSpan Elapsed) : Vhw.Ingest.Worker.ICompletable;

/// <summary>
/// One model × benchmark: resolves the selections (the standard <see cref="SweepPlan"/> or explicit specs) for every mode,
/// runs the baseline and every distinct (mode, head set) once (<see cref="AblationEvaluation"/>), and writes one
/// ablation_results part per labelled point (part-&lt;result_id&gt;.parquet; an existing one is skipped, so reruns are idempotent).
/// </summary>
public sealed class AblationSweep(ModelSession session, AblationOptions options, IHeadScoreSource scores, ILogger logger)
{
    public const string ResultsTable = "ablation_results";

    public async Task<SweepSummary> RunAsync(string benchmarkDir, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string root = options.Warehouse, model = session.Name;
        // the same formats, partition name and benchmark hash as ingest, so head_scores of that benchmark rank the heads
        var source = BenchmarkSources.Open(benchmarkDir, options.SourceOptions());
        string benchmark = PartitionPath.ValidateName(source.Name, "benchmark");
        string benchmarkSha = BenchmarkSourceHash.Sha256(source);
        var text = session.Loaded.Config.TextConfig;
        var shape = new ModelShape(text.NumHiddenLayers, text.NumAttentionHeads);
        var ranking = LoadRanking(model, benchmark);
        var specs = options.Select.Count > 0 ? ["baseline", .. options.Select]
            : SweepPlan.Specs(shape, options.EffectivePercents, options.EffectiveLateCounts, options.Draws);
        var selections = specs.Distinct().Select(s => HeadSelections.Resolve(s, shape, model, ranking)).ToList();
        var modes = options.EffectiveModes.Select(HeadAblation.ParseMode).ToList();

        EvaluationIdentity Identity(HeadAblationMode mode, HeadSelection s) => new(model, session.WeightsSha256, benchmark, benchmarkSha,
            s.Heads.Count == 0 ? EvaluationIdentity.NoMode : HeadAblation.ModeName(mode), s.HeadList,
            options.MaxNewTokens, options.Limit, options.ChunkSize, options.Dtype, EvaluationIdentity.CurrentEngineVersion);
        var baselineId = Identity(modes[0], selections.First(s => s.Strategy == "baseline"));
        var points = modes.SelectMany(m => selections.Select(s => (Mode: m, Selection: s, Id: Identity(m, s)))).ToList();
        var groups = points.GroupBy(p => p.Id.EvalId).OrderBy(g => g.Key == baselineId.EvalId ? 0 : 1).ToList();

        string resultsDir = PartitionPath.Dir(root, ResultsTable, model, benchmark);
        PartWriter.RemoveTemps(resultsDir, olderThan: TimeSpan.FromHours(1));   // a result part takes milliseconds to write
        int perEvaluation = CountItems(source), done = 0;
        int total = perEvaluation * groups.Count;
        var report = new SyncProgress(n => progress?.Report(new JobProgress(model, benchmark, done += n, total)));
        var evaluation = new AblationEvaluation(session, root);
        logger.LogInformation("{Model} × {Benchmark}: {Points} points, {Evaluations} distinct evaluations of {Samples} samples; ranking: {Ranking}",
            model, benchmark, points.Count, groups.Count, perEvaluation, ranking is null ? "none" : $"{ranking.Score} ({ranking.Source})");

        EvaluationResult? baseline = null;
        int computed = 0, reused = 0, written = 0, skipped = 0;
        foreach (var group in groups)
        {
            var pending = group.Select(p => (p, ResultId: ResultId(p.Id, baselineId.EvalId, p.Mode, p.Selection)))
                .Where(x => !File.Exists(Path.Combine(resultsDir, $"part-{x.ResultId}.parquet"))).ToList();
            skipped += group.Count() - pending.Count;
            bool isBaseline = group.Key == baselineId.EvalId;
            if (pending.Count == 0 && !isBaseline) { reused++; Progress(report, perEvaluation); continue; }
            if (ct.IsCancellationRequested) break;

            var first = group.First();
            var result = await evaluation.RunAsync(first.Id, first.Selection.Heads.Count == 0 ? null : first.Selection.ToAblation(first.Mode),
                source, report, ct);
            if (result.ChunksComputed > 0) computed++; else reused++;
            if (!result.Complete) break;
            if (isBaseline) baseline = result;
            foreach (var (p, resultId) in pending)
            {
                var row = ResultRow(resultId, p.Id, p.Mode, p.Selection, result, baseline!, shape);
                await PartWriter.WriteAsync(resultsDir, $"part-{resultId}.parquet", new[] { row }, CancellationToken.None);
                written++;
            }
        }
        bool complete = written + skipped == points.Count;
        double? baselineAccuracy = baseline is { Samples.Count: > 0 } b ? b.Samples.Count(s => s.Correct) / (double)b.Samples.Count : null;
        logger.LogInformation("{Model} × {Benchmark}: {Written} results written, {Skipped} already there; {Computed} evaluations computed, {Reused} reused; baseline accuracy {Accuracy}",
            model, benchmark, written, skipped, computed, reused, baselineAccuracy);
        return new SweepSummary(model, benchmark, points.Count, computed, reused, written, skipped, baselineAccuracy, complete, clock.Elapsed);
    }

    private HeadRanking? LoadRanking(string model, string benchmark)
    {
        string score = HeadRanking.ValidateScore(options.Score);
        string? source = options.ScoreBenchmark switch { "same" => benchmark, HeadRanking.Pooled => null, var other => other };
        return scores.Load(model, source, score, options.QueryKind);
    }

    private static void Progress(IProgress<int> report, int n) { if (n > 0) report.Report(n); }

    /// <summary>Reports on the calling thread (System.Progress posts to the thread pool, which would race the counter).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    private int CountItems(IBenchmarkSource source)
    {
        int n = source.Read().Count();
        return options.Limit > 0 ? Math.Min(n, options.Limit) : n;
    }

    /// <summary>The label's mode, not the evaluation's: the baseline (mode "none") gets one row per swept mode.</summary>
    private static string ResultId(EvaluationIdentity id, string baselineEvalId, HeadAblationMode mode, HeadSelection s) => EvaluationIdentity.Hash(
        string.Join('|', id.EvalId, baselineEvalId, HeadAblation.ModeName(mode), s.Spec, s.Strategy, s.Stage, s.K, s.Seed, s.Score, s.ScoreSource));

    /// <summary>Accuracy with its Wilson interval, the change from the baseline and the paired (exact McNemar) test,
    /// over the samples both evaluations scored.</summary>
    internal static AblationResultRow ResultRow(string resultId, EvaluationIdentity id, HeadAblationMode mode, HeadSelection s,
        EvaluationResult result, EvaluationResult baseline, ModelShape shape)
    {
        var before = baseline.Samples.ToDictionary(r => r.SampleId);
        var pairs = result.Samples.Where(r => before.ContainsKey(r.SampleId)).Select(r => (After: r, Before: before[r.SampleId])).ToList();
        int n = pairs.Count, correct = pairs.Count(p => p.After.Correct), baseCorrect = pairs.Count(p => p.Before.Correct);
        int lost = pairs.Count(p => p.Before.Correct && !p.After.Correct), gained = pairs.Count(p => !p.Before.Correct && p.After.Correct);
        var (low, high) = AblationStats.Wilson(correct, n);
        double accuracy = n > 0 ? correct / (double)n : double.NaN, baseAccuracy = n > 0 ? baseCorrect / (double)n : double.NaN;
        return new AblationResultRow
        {
            ResultId = resultId, ConfigId = id.ConfigId, EvalId = id.EvalId, BaselineEvalId = baseline.EvalId,
            Mode = HeadAblation.ModeName(mode), Spec = s.Spec, Strategy = s.Strategy, Stage = s.Stage, Score = s.Score, ScoreSource = s.ScoreSource,
            K = s.K, NModelHeads = shape.Total, Seed = s.Seed, RngSeed = s.RngSeed, SelectionHash = s.Hash, Heads = s.HeadList,
            N = n, NCorrect = correct, Accuracy = accuracy, CiLow = low, CiHigh = high, BaselineAccuracy = baseAccuracy, Delta = accuracy - baseAccuracy,
            NLost = lost, NGained = gained, McnemarP = AblationStats.McNemarExact(lost, gained),
            NChanged = pairs.Count(p => p.After.Prediction != p.Before.Prediction), NRejects = result.Rejects,
            ConfigJson = id.ConfigJson, VhwVersion = VersionInfo.Vhw, FinishedAt = DateTime.UtcNow,
        };
    }
}
