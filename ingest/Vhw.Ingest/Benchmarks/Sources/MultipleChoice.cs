using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>Option letters and the rounds of circular evaluation, shared by the multiple-choice formats.</summary>
public static class MultipleChoice
{
    /// <summary>The letter of option <paramref name="index"/> (0 → "A").</summary>
    public static string Letter(int index) => BenchmarkPromptStyle.OptionLetters[index];

    /// <summary>The index of a letter A–D (case-insensitive, surrounding spaces ignored), or -1.</summary>
    public static int IndexOf(string letter)
    {
        string l = letter.Trim().ToUpperInvariant();
        for (int i = 0; i < BenchmarkPromptStyle.OptionLetters.Count; i++)
            if (BenchmarkPromptStyle.OptionLetters[i] == l) return i;
        return -1;
    }

    /// <summary>
    /// The samples asked for one question: round 0 with the options as published and, when <paramref name="circular"/>,
    /// rounds r = 1…n−1 with the options rotated left by r (LLaVA's <c>options[1:] + options[:1]</c> per round) and the
    /// answer letter moved with its option. Round r &gt; 0 gets the id "{id}-r{r}"; every round has GroupId = id.
    /// </summary>
    public static IEnumerable<BenchmarkSample> Rounds(BenchmarkSample question, IReadOnlyList<string> options, int answerIndex, bool circular)
    {
        int n = options.Count;
        if (answerIndex < 0 || answerIndex >= n) throw new ArgumentOutOfRangeException(nameof(answerIndex));
        int rounds = circular ? n : 1;
        for (int r = 0; r < rounds; r++)
        {
            var rotated = Enumerable.Range(0, n).Select(i => options[(i + r) % n]).ToArray();
            yield return question with
            {
                Id = r == 0 ? question.Id : $"{question.Id}-r{r}",
                Answer = Letter(((answerIndex - r) % n + n) % n),
                Options = rotated,
                GroupId = circular ? question.Id : null,
                Round = r,
            };
        }
    }
}
