using System.Text;

namespace Vhw.Ingest.Benchmarks;

/// <summary>
/// Scores short answers (yes/no, option letters, counts, short phrases): case-, punctuation- and
/// whitespace-insensitive, number words → digits ("two" == "2"). A one-word answer also matches when it is the
/// prediction's first word ("Yes, there is." == "yes"; "12" does not match "1", unlike the authors' first-character check).
/// </summary>
public static class AnswerScorer
{
    static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    /// <summary>Lower case, punctuation → space (a '.' between digits is kept), number words → digits, single spaces.</summary>
    public static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool decimalPoint = c == '.' && i > 0 && i + 1 < text.Length && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1]);
            sb.Append(char.IsLetterOrDigit(c) || decimalPoint ? char.ToLowerInvariant(c) : ' ');
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Array.IndexOf(NumberWords, w) is var n and >= 0 ? n.ToString() : w);
        return string.Join(' ', words);
    }

    public static bool IsCorrect(string prediction, string answer)
    {
        string p = Normalise(prediction), a = Normalise(answer);
        if (a.Length == 0) return false;
        if (p == a) return true;
        return !a.Contains(' ') && p.Split(' ')[0] == a;
    }
}
