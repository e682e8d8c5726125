using System.Text.RegularExpressions;

namespace Vhw.Ingest.Benchmarks.Scoring;

/// <summary>
/// The option letter a multiple-choice prediction names, or null. In order: a leading letter ("B", "B.", "(B)", "B) cat",
/// "b: cat", not "a cat"); a prediction equal to one option's text (case, punctuation and spaces ignored); "the answer is B" /
/// "option B" anywhere. Letters beyond the options shown do not count.
/// </summary>
public static partial class OptionAnswer
{
    // "B", "B.", "(B)", "B) cat", "B cat"; a lower-case letter only alone or before ")", ".", ":" ("a cat" is not A)
    [GeneratedRegex(@"^\(?(?:([A-D])(?=[).:,\s]|$)|([a-d])(?=[).:]|$))")]
    private static partial Regex LeadingLetter();

    [GeneratedRegex(@"\b(?i:answer|option|choice)\s*(?i:is\s*)?[:\-]?\s*\(?([A-D])\b")]
    private static partial Regex NamedLetter();

    public static string? Extract(string prediction, IReadOnlyList<string> options)
    {
        string p = prediction.Trim();
        string? letter = null;
        if (LeadingLetter().Match(p) is { Success: true } lead) letter = (lead.Groups[1].Value + lead.Groups[2].Value).ToUpperInvariant();
        else if (MatchOptionText(p, options) is { } byText) letter = byText;
        else if (NamedLetter().Match(p) is { Success: true } named) letter = named.Groups[1].Value.ToUpperInvariant();
        return letter is not null && Sources.MultipleChoice.IndexOf(letter) is var i && i >= 0 && i < options.Count ? letter : null;
    }

    static string? MatchOptionText(string prediction, IReadOnlyList<string> options)
    {
        string p = AnswerScorer.Normalise(prediction);
        if (p.Length == 0) return null;
        var hits = options.Select((o, i) => (Text: AnswerScorer.Normalise(o), i)).Where(x => x.Text == p).ToList();
        return hits.Count == 1 ? Sources.MultipleChoice.Letter(hits[0].i) : null;
    }
}
