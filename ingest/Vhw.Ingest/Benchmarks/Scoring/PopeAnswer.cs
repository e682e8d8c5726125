namespace Vhw.Ingest.Benchmarks.Scoring;

/// <summary>
/// Reads a yes/no prediction as LLaVA's <c>eval_pope.py</c> does: keep the text before the first '.', drop commas,
/// split into words; "no" when a word is "No", "no" or "not", otherwise "yes" (so an empty or evasive answer counts as yes).
/// </summary>
public static class PopeAnswer
{
    public static string Parse(string prediction)
    {
        string text = prediction;
        int dot = text.IndexOf('.');
        if (dot >= 0) text = text[..dot];
        var words = text.Replace(",", "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Any(w => w is "No" or "no" or "not") ? "no" : "yes";
    }
}
