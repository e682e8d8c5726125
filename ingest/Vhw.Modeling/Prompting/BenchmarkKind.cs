namespace Vhw.Modeling.Prompting;

/// <summary>
/// The published benchmark formats <c>vhw</c> reads. The kind decides how the question is turned into a prompt
/// (<see cref="BenchmarkPromptStyle"/>) and how a prediction is scored.
/// </summary>
public enum BenchmarkKind
{
    /// <summary>The project's own questions.jsonl + images/ (the question already carries its suffix).</summary>
    Questions,
    /// <summary>POPE: coco_pope_{random,popular,adversarial}.json lines (yes/no).</summary>
    Pope,
    /// <summary>MMBench: TSV with base64 images, options A–D, hint.</summary>
    MMBench,
    /// <summary>SEED-Bench: JSON with choice_a–choice_d (image tasks only).</summary>
    SeedBench,
    /// <summary>Q-Bench (LLVisionQA): JSON with candidates and correct_ans.</summary>
    QBench,
    /// <summary>PointQA / LookTwice-QA: JSONL with a box and general / object / super questions (counts).</summary>
    PointQA,
}

/// <summary>The lower-case names used on the command line (<c>format:path</c>) and in the warehouse.</summary>
public static class BenchmarkKinds
{
    static readonly Dictionary<BenchmarkKind, string> Names = new()
    {
        [BenchmarkKind.Questions] = "questions",
        [BenchmarkKind.Pope] = "pope",
        [BenchmarkKind.MMBench] = "mmbench",
        [BenchmarkKind.SeedBench] = "seed",
        [BenchmarkKind.QBench] = "qbench",
        [BenchmarkKind.PointQA] = "pointqa",
    };

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Name(this BenchmarkKind kind) => Names[kind];

    /// <summary>The kind for a name (case-insensitive), or null when there is none.</summary>
    public static BenchmarkKind? TryParse(string name)
    {
        foreach (var (kind, n) in Names)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) return kind;
        return null;
    }

    /// <summary>True for the kinds answered with an option letter.</summary>
    public static bool IsMultipleChoice(this BenchmarkKind kind) =>
        kind is BenchmarkKind.MMBench or BenchmarkKind.SeedBench or BenchmarkKind.QBench;
}
