using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Findings;

/// <summary>Accuracy of one benchmark with the chance rate it is tested against and the one-sided binomial p of the
/// real-image and the white-image accuracy (<see cref="BinomialTest.UpperTail"/>).</summary>
public sealed record BenchmarkFinding(BenchmarkScore Score, double Chance)
{
    public int Correct => (int)Math.Round(Score.Accuracy * Score.N);
    public int BlankCorrect => (int)Math.Round(Score.BlankAccuracy * Score.N);
    public double P => BinomialTest.UpperTail(Correct, Score.N, Chance);
    public double BlankP => BinomialTest.UpperTail(BlankCorrect, Score.N, Chance);
}

/// <summary>Everything measured on one shipped member: size, accuracy per benchmark, head lift of the member and of its
/// untrained control, the position probes of the member's and its control's image features, and (when its pope-like accuracy reaches the bar) the
/// visual-head ablation.</summary>
public sealed record MemberFindings(
    string Name, long Parameters, int Layers, int Heads, int KvHeads, int Hidden,
    IReadOnlyList<BenchmarkFinding> Benchmarks, HeadLiftStats Lift, HeadLiftStats? ControlLift,
    PositionProbe.Result Probe, PositionProbe.Result? ControlProbe, VisualHeadAblationResult? Ablation, TimeSpan Elapsed)
{
    public BenchmarkFinding Benchmark(string name) => Benchmarks.Single(b => b.Score.Benchmark == name);
}
