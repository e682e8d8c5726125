using System.Text;

namespace Vhw.Modeling.Tokenization;

/// <summary>
/// Runs tokenizer.json's normalizer and pre-tokenizer steps on one segment (text between added tokens),
/// HF semantics: normalizer first on the whole segment, then each pre-tokenizer step splits every piece further.
/// </summary>
internal static class TextPipeline
{
    public static List<string> Run(string segment, bool atTextStart, IReadOnlyList<TextStep> normalizer, IReadOnlyList<TextStep> preTokenizer)
    {
        foreach (var step in normalizer)
            segment = step switch
            {
                TextStep.Prepend p => p.Text + segment,
                TextStep.Replace r => segment.Replace(r.Pattern, r.Content, StringComparison.Ordinal),
                TextStep.Lowercase => segment.ToLowerInvariant(),
                _ => throw new InvalidOperationException($"{step.GetType().Name} is not a normalizer step"),
            };
        var pieces = new List<string> { segment };
        foreach (var step in preTokenizer)
            pieces = pieces.SelectMany((piece, i) => Split(piece, step, atTextStart && i == 0)).Where(x => x.Length > 0).ToList();
        return pieces;
    }

    /// <summary>True where the HF Punctuation pre-tokenizer splits: ASCII punctuation or Unicode category P*.</summary>
    public static bool IsPunctuation(char c) => c < 128 ? char.IsPunctuation(c) || char.IsSymbol(c) : char.IsPunctuation(c);

    static IEnumerable<string> Split(string piece, TextStep step, bool firstPiece)
    {
        switch (step)
        {
            case TextStep.Metaspace m:
                string s = piece.Replace(' ', m.Replacement);
                bool prepend = m.PrependScheme == "always" || (m.PrependScheme == "first" && firstPiece);
                if (prepend && !s.StartsWith(m.Replacement)) s = m.Replacement + s;
                return m.Split ? SplitBefore(s, m.Replacement) : [s];
            case TextStep.Punctuation:
                return SplitIsolated(piece);
            case TextStep.SplitLiteral l:
                return SplitLiteralIsolated(piece, l.Pattern);
            case TextStep.WhitespaceSplit:
                return piece.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            default:
                throw new InvalidOperationException($"{step.GetType().Name} is not a pre-tokenizer step");
        }
    }

    /// <summary>Split with MergedWithNext: "▁a▁▁b" → "▁a", "▁", "▁b".</summary>
    static List<string> SplitBefore(string s, char delimiter)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 1; i < s.Length; i++)
            if (s[i] == delimiter) { parts.Add(s[start..i]); start = i; }
        parts.Add(s[start..]);
        return parts;
    }

    static List<string> SplitLiteralIsolated(string s, string pattern)
    {
        var parts = new List<string>();
        int start = 0, at;
        while ((at = s.IndexOf(pattern, start, StringComparison.Ordinal)) >= 0)
        {
            if (at > start) parts.Add(s[start..at]);
            parts.Add(pattern);
            start = at + pattern.Length;
        }
        if (start < s.Length) parts.Add(s[start..]);
        return parts;
    }

    static List<string> SplitIsolated(string s)
    {
        var parts = new List<string>();
        var cur = new StringBuilder();
        foreach (char c in s)
        {
            if (!IsPunctuation(c)) { cur.Append(c); continue; }
            if (cur.Length > 0) { parts.Add(cur.ToString()); cur.Clear(); }
            parts.Add(c.ToString());
        }
        if (cur.Length > 0) parts.Add(cur.ToString());
        return parts;
    }
}
