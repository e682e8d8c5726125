using System.Globalization;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Findings;

/// <summary>One must-show bar of one member: what it asks (<paramref name="Bar"/>), the accuracy measured and whether it is met.</summary>
public sealed record BarCheck(string Model, string Benchmark, string Bar, double Measured, bool Met);

/// <summary>
/// The bars of issue 3, per trained member:
/// <list type="bullet">
/// <item>pope-like accuracy ≥ <see cref="PopeBar"/>; ≥ <see cref="SmallestPopeBar"/> for the smallest member (fewest
/// parameters; every member tied at the minimum).</item>
/// <item>every other benchmark clearly above its chance rate: one-sided exact binomial p &lt; <see cref="BinomialTest.Alpha"/>.</item>
/// <item>image dependence, every benchmark: with a white image the accuracy is no longer clearly above chance (p ≥ α).</item>
/// </list>
/// Bar texts are stable keys (zoo/models/shortfalls.json lists known misses by model, benchmark and bar).
/// </summary>
public static class MustShowBars
{
    public const double PopeBar = 0.85, SmallestPopeBar = 0.90;

    public static IReadOnlyList<BarCheck> Evaluate(IReadOnlyList<MemberFindings> members)
    {
        if (members.Count == 0) return [];
        long smallest = members.Min(m => m.Parameters);
        var checks = new List<BarCheck>();
        foreach (var m in members)
            foreach (var b in m.Benchmarks)
            {
                string name = b.Score.Benchmark;
                if (name == PopeLike.Name)
                {
                    double bar = m.Parameters == smallest ? SmallestPopeBar : PopeBar;
                    string text = m.Parameters == smallest ? $"accuracy >= {F(bar)} (smallest member)" : $"accuracy >= {F(bar)}";
                    checks.Add(new BarCheck(m.Name, name, text, b.Score.Accuracy, b.Score.Accuracy >= bar));
                }
                else
                    checks.Add(new BarCheck(m.Name, name, AboveChanceBar(b.Chance), b.Score.Accuracy, b.P < BinomialTest.Alpha));
                checks.Add(new BarCheck(m.Name, name, WhiteImageBar(b.Chance), b.Score.BlankAccuracy, b.BlankP >= BinomialTest.Alpha));
            }
        return checks;
    }

    public static string AboveChanceBar(double chance) => $"above chance {F(chance)} (one-sided binomial p < {F(BinomialTest.Alpha)})";

    public static string WhiteImageBar(double chance) => $"white image not above chance {F(chance)} (one-sided binomial p >= {F(BinomialTest.Alpha)})";

    static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
