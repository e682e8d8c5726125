using Vhw.Ingest.Benchmarks;

namespace Vhw.Zoo.Evaluation;

/// <summary>
/// The text-only shortcut check: answer each test question with the majority train answer for the same question text
/// (the global majority of its benchmark when the text never occurs in train). Near chance = no text shortcut.
/// </summary>
public static class TextOnlyBaseline
{
    public static double Accuracy(IEnumerable<BenchmarkSample> train, IEnumerable<BenchmarkSample> test)
    {
        var trainList = train.ToList();
        var byQuestion = trainList.GroupBy(s => s.Question, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Majority(g), StringComparer.Ordinal);
        string fallback = trainList.Count > 0 ? Majority(trainList) : "";
        var testList = test.ToList();
        if (testList.Count == 0) return 0;
        return testList.Average(s => AnswerScorer.IsCorrect(byQuestion.GetValueOrDefault(s.Question, fallback), s.Answer) ? 1.0 : 0.0);
    }

    static string Majority(IEnumerable<BenchmarkSample> samples) =>
        samples.GroupBy(s => s.Answer, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
}
