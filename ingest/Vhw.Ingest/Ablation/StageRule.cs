namespace Vhw.Ingest.Ablation;

/// <summary>
/// Processing stage of a 0-based decoder layer: the C# twin of <c>transform/macros/stage_of.sql</c> (the SQL macro is
/// the reference the marts use; a test in tests/Vhw.Ingest.Tests/Ablation checks both agree for 1–80 layers).
/// The authors' tables for 32 layers (early 0–9, middle 10–19, late 20–31) and 40 layers (0–12, 13–26, 27–39);
/// every other depth splits at ceil(n·10/32) and ceil(n·20/32).
/// </summary>
public static class StageRule
{
    public static readonly string[] Stages = ["early", "middle", "late"];

    public static string Of(int layer, int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, layers);
        var (middleStart, lateStart) = layers switch
        {
            32 => (10, 20),
            40 => (13, 27),
            _ => ((int)Math.Ceiling(layers * 10 / 32.0), (int)Math.Ceiling(layers * 20 / 32.0)),
        };
        return layer < middleStart ? "early" : layer < lateStart ? "middle" : "late";
    }

    public static bool IsStage(string name) => Stages.Contains(name);
}
