using System.Diagnostics;
using TorchSharp;
using Vhw.Ingest.Pipeline;
using Vhw.Modeling.Generation;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Findings;

/// <summary>Sample counts of the must-show measurements (issues 3 and 4).</summary>
public sealed record FindingsSettings
{
    /// <summary>Test samples scored per benchmark, with the real and with a white image.</summary>
    public int AccuracySamples { get; init; } = 100;

    /// <summary>pope-like test samples whose answer_step2 attention gives the head lifts (member and control).</summary>
    public int LiftSamples { get; init; } = 100;

    /// <summary>pope-like test samples of the ablation (ranking, baseline, top set and every random draw).</summary>
    public int AblationSamples { get; init; } = 100;

    /// <summary>Random head sets drawn per ablation (at least <see cref="VisualHeadAblation.MinDraws"/>).</summary>
    public int Draws { get; init; } = VisualHeadAblation.MinDraws;

    /// <summary>pope-like accuracy a member needs for its visual heads to be ablated (issue 4).</summary>
    public double AblationBar { get; init; } = MustShowBars.PopeBar;

    /// <summary>Members measured at once, each on one torch thread: half the CPUs (1 on a 2-core machine), at most 8, and
    /// at most one per 2 GiB of the memory the process may use (the GC's view, container limits included). Eight at once
    /// peaked at 0.84 GB RSS on the 16 shipped members; the bound leaves room for test assemblies that run beside it.</summary>
    public int Parallelism { get; init; } = Math.Clamp(
        Math.Min(Environment.ProcessorCount / 2, (int)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (2L << 30))), 1, 8);

    /// <summary>Freshly drawn scenes of the position probes (half fit, half held out).</summary>
    public int ProbeScenes { get; init; } = PositionProbe.DefaultScenes;

    public int PerBenchmark => Math.Max(AccuracySamples, Math.Max(LiftSamples, AblationSamples));
}

/// <summary>Measures every shipped member on the regenerated test split: the numbers behind the must-show checks and tables.
/// Members run in parallel (<see cref="FindingsSettings.Parallelism"/>); each member's numbers do not depend on it.</summary>
public static class ZooFindings
{
    public static IReadOnlyList<MemberFindings> Measure(IReadOnlyList<ZooMember> members, ZooTestData data, FindingsSettings settings,
        string scratch, Action<string>? log = null, CancellationToken ct = default)
    {
        var results = new MemberFindings[members.Count];
        Parallel.For(0, members.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct }, i =>
        {
            var m = members[i];
            try { results[i] = MeasureOne(m, data, settings, Path.Combine(scratch, m.Name), ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the member's name and the first cause's message, which Parallel.For's AggregateException leaves out of its own
                throw new InvalidOperationException($"measuring {m.Name} failed: {e.GetType().Name}: {e.Message}", e);
            }
            log?.Invoke($"{m.Name}: measured in {results[i].Elapsed.TotalSeconds:0} s");
        });
        return results;
    }

    public static MemberFindings MeasureOne(ZooMember member, ZooTestData data, FindingsSettings settings, string scratch, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        string pope = data.Folder(PopeLike.Name);
        using var evaluator = new ZooEvaluator(member.Dir);
        var text = evaluator.Config.TextConfig;
        var benchmarks = ZooTestData.Benchmarks
            .Select(b => new BenchmarkFinding(evaluator.Score(data.Folder(b), settings.AccuracySamples), data.Chance[b])).ToList();
        var lift = HeadLiftStats.Measure(evaluator, pope, settings.LiftSamples);
        var probe = evaluator.ProbePositions(settings.ProbeScenes);
        HeadLiftStats? controlLift = null;
        PositionProbe.Result? controlProbe = null;
        if (member.ControlDir is { } controlDir)
        {
            using var control = new ZooEvaluator(controlDir);
            controlLift = HeadLiftStats.Measure(control, pope, settings.LiftSamples);
            controlProbe = control.ProbePositions(settings.ProbeScenes);
        }
        VisualHeadAblationResult? ablation = null;
        if (benchmarks.Single(b => b.Score.Benchmark == PopeLike.Name).Score.Accuracy >= settings.AblationBar)
        {
            using var session = new ModelSession(member.Dir, CaptureQuery.AnswerStep2, maxNewTokens: 4, torch.ScalarType.Float32, torch.CPU);
            ablation = VisualHeadAblation.RunAsync(session, pope, settings.AblationSamples, settings.Draws, scratch, ct: ct).GetAwaiter().GetResult();
        }
        return new MemberFindings(member.Name, evaluator.ParameterCount, text.NumHiddenLayers, text.NumAttentionHeads, text.NumKeyValueHeads,
            text.HiddenSize, benchmarks, lift, controlLift, probe, controlProbe, ablation, clock.Elapsed);
    }
}
