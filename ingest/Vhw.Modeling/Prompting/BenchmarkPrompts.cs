namespace Vhw.Modeling.Prompting;

/// <summary>
/// Answer-format suffixes appended to benchmark questions (paper-method.md "Benchmarks"). As in LLaVA's eval
/// question files, the suffix is part of the question text, on its own line.
/// </summary>
public static class BenchmarkPrompts
{
    /// <summary>LLaVA's POPE / PointQA eval suffix; our default for yes/no and short answers.</summary>
    public const string SingleWordOrPhrase = "Answer the question using a single word or phrase.";

    /// <summary>The paper's yes/no wording.</summary>
    public const string YesNo = "Answer with \"Yes\" or \"No\".";

    /// <summary>MMBench / SEED-Bench / Q-Bench (A–D).</summary>
    public const string MultipleChoice = "Answer with the option's letter from the given choices directly.";

    public static string WithSuffix(string question, string suffix) => $"{question.TrimEnd()}\n{suffix}";
}
