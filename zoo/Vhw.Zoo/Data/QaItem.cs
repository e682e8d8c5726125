using System.Globalization;
using Vhw.Modeling.Prompting;

namespace Vhw.Zoo.Data;

/// <summary>One generated question about one scene. <paramref name="Box"/> is [x0, y0, x1, y1] in image pixels.</summary>
public sealed record QaItem(string Benchmark, string Task, Scene Scene, string Question, string Answer, float[]? Box = null);

/// <summary>Prompt formatting shared by the task generators (LLaVA eval conventions: options and suffix inside the question).</summary>
public static class QaFormat
{
    public static readonly string[] Letters = ["A", "B", "C", "D"];

    public static string Short(string question) => BenchmarkPrompts.WithSuffix(question, BenchmarkPrompts.SingleWordOrPhrase);

    /// <summary>
    /// Multiple choice: <paramref name="correct"/> goes to letter index <paramref name="letter"/>, the distractors fill the
    /// other slots in the given order. Returns the question text (options one per line, then the letter suffix) and the letter.
    /// </summary>
    public static (string Question, string Answer) Choice(string question, string correct, IReadOnlyList<string> distractors, int letter)
    {
        var options = distractors.ToList();
        if (options.Contains(correct)) throw new ArgumentException($"distractors contain the answer '{correct}'");
        options.Insert(letter, correct);
        var lines = options.Select((o, i) => $"{Letters[i]}. {o}");
        string text = question.TrimEnd() + "\n" + string.Join("\n", lines);
        return (BenchmarkPrompts.WithSuffix(text, BenchmarkPrompts.MultipleChoice), Letters[letter]);
    }

    /// <summary>LLaVA-1.5 style normalised box text, e.g. [0.25, 0.00, 0.75, 0.50].</summary>
    public static string BoxText(float[] box) =>
        "[" + string.Join(", ", box.Select(v => (v / World.ImageSize).ToString("0.00", CultureInfo.InvariantCulture))) + "]";

    public static string CountText(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary><paramref name="k"/> distinct values from <paramref name="pool"/> other than <paramref name="exclude"/>, in random order.</summary>
    public static List<string> Others(ZooRng rng, IEnumerable<string> pool, string exclude, int k)
    {
        var list = pool.Where(p => p != exclude).Distinct().ToList();
        rng.Shuffle(list);
        return list.Take(k).ToList();
    }
}
