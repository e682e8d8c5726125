namespace Vhw.Modeling.Prompting;

/// <summary>
/// How one benchmark kind turns its question into the user turn, as LLaVA's evaluation scripts do
/// (<c>model_vqa_loader.py</c> for POPE / SEED / PointQA, <c>model_vqa_mmbench.py</c>, <c>model_vqa_qbench.py</c>):
/// [hint "\n"] question ["\n" lead-in] ["\n" "A. option" …] ["\n" suffix]. The conversation template of the model
/// family wraps the result (<see cref="ConversationTemplate"/>). This table is the one place these rules live.
/// </summary>
/// <param name="HintFirst">Prepend a non-empty hint on its own line (MMBench).</param>
/// <param name="OptionsLeadIn">A line between the question and the options (Q-Bench), or null.</param>
/// <param name="ListOptions">List the options as "A. text" lines.</param>
/// <param name="Suffix">The answer-format instruction on the last line, or null (the question is used verbatim).</param>
public sealed record BenchmarkPromptStyle(BenchmarkKind Kind, bool HintFirst, string? OptionsLeadIn, bool ListOptions, string? Suffix)
{
    /// <summary>Q-Bench's line before its candidates (LLaVA's model_vqa_qbench.py, lang "en").</summary>
    public const string QBenchLeadIn = "Choose between one of the options as follows:";

    /// <summary>Option letters, in order; LLaVA's evaluation uses at most four.</summary>
    public static readonly IReadOnlyList<string> OptionLetters = ["A", "B", "C", "D"];

    static readonly Dictionary<BenchmarkKind, BenchmarkPromptStyle> Table = new[]
    {
        // questions.jsonl carries its suffix in the question text already (BenchmarkPrompts.WithSuffix).
        new BenchmarkPromptStyle(BenchmarkKind.Questions, HintFirst: false, OptionsLeadIn: null, ListOptions: false, Suffix: null),
        new BenchmarkPromptStyle(BenchmarkKind.Pope, false, null, false, BenchmarkPrompts.SingleWordOrPhrase),
        new BenchmarkPromptStyle(BenchmarkKind.MMBench, true, null, true, BenchmarkPrompts.MultipleChoice),
        new BenchmarkPromptStyle(BenchmarkKind.SeedBench, false, null, true, BenchmarkPrompts.MultipleChoice),
        // LLaVA's Q-Bench script stops after the options; the paper answers every multiple-choice benchmark with
        // the option-letter instruction, so it is added here too.
        new BenchmarkPromptStyle(BenchmarkKind.QBench, false, QBenchLeadIn, true, BenchmarkPrompts.MultipleChoice),
        new BenchmarkPromptStyle(BenchmarkKind.PointQA, false, null, false, BenchmarkPrompts.SingleWordOrPhrase),
    }.ToDictionary(s => s.Kind);

    public static BenchmarkPromptStyle For(BenchmarkKind kind) => Table[kind];

    /// <summary>
    /// The user turn for one question. Hint and options are used verbatim (as LLaVA does); options must be 2–4
    /// texts when the style lists options; a null or blank hint is left out.
    /// </summary>
    public string UserText(string question, string? hint = null, IReadOnlyList<string>? options = null)
    {
        var lines = new List<string>();
        if (HintFirst && !string.IsNullOrWhiteSpace(hint)) lines.Add(hint);
        lines.Add(Suffix is null ? question : question.TrimEnd());
        if (ListOptions)
        {
            if (options is null || options.Count < 2 || options.Count > OptionLetters.Count)
                throw new ArgumentException($"{Kind.Name()} needs 2–{OptionLetters.Count} options, got {options?.Count ?? 0}", nameof(options));
            if (OptionsLeadIn is not null) lines.Add(OptionsLeadIn);
            lines.AddRange(options.Select((o, i) => $"{OptionLetters[i]}. {o}"));
        }
        if (Suffix is not null) lines.Add(Suffix);
        return string.Join('\n', lines);
    }

    /// <summary>The whole prompt: the user turn inside the family's conversation template.</summary>
    public string Prompt(ConversationTemplate template, string question, string? hint = null, IReadOnlyList<string>? options = null) =>
        template.Format(UserText(question, hint, options));
}
