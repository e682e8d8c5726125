using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Scoring;

/// <summary>One answered sample: what was asked and what the model said.</summary>
public sealed record ScoredSample(BenchmarkSample Sample, string Prediction, bool Correct);

/// <summary>One metric over a subset of a benchmark; Value is null where it is undefined (e.g. precision with no "yes").</summary>
/// <param name="SubsetKind">"all", "split", "category" or "question_type".</param>
/// <param name="Subset">"all", or the split / category / question type.</param>
/// <param name="N">Samples (POPE, short answers) or questions (multiple choice) the value is over.</param>
public sealed record BenchmarkScore(string SubsetKind, string Subset, string Metric, double? Value, int N);

/// <summary>
/// Benchmark-level scores from answered samples, for the whole benchmark and for each split, category and question type:
/// POPE accuracy, precision, recall, F1 and yes-ratio (positive = "yes", LLaVA's eval_pope.py); multiple choice accuracy
/// over questions (the published options, round 0) and, with circular evaluation, circular_accuracy (every round right);
/// short answers (PointQA, questions.jsonl) accuracy of <see cref="ScoredSample.Correct"/>.
/// </summary>
public static class BenchmarkScorer
{
    public const string Accuracy = "accuracy", Precision = "precision", Recall = "recall", F1 = "f1", YesRatio = "yes_ratio",
        CircularAccuracy = "circular_accuracy";

    static readonly (string Kind, Func<BenchmarkSample, string?> Of)[] SubsetKinds =
        [("split", s => s.Split), ("category", s => s.Category), ("question_type", s => s.QuestionType)];

    public static IReadOnlyList<BenchmarkScore> Score(BenchmarkKind kind, IReadOnlyList<ScoredSample> samples)
    {
        bool circular = samples.Any(s => s.Sample.GroupId is not null);
        var subsets = new List<(string Kind, string Name, IReadOnlyList<ScoredSample> Samples)> { ("all", "all", samples) };
        foreach (var (subsetKind, of) in SubsetKinds)
            subsets.AddRange(samples.Where(s => of(s.Sample) is not null).GroupBy(s => of(s.Sample)!)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (subsetKind, g.Key, (IReadOnlyList<ScoredSample>)g.ToList())));

        var scores = new List<BenchmarkScore>();
        foreach (var (subsetKind, name, group) in subsets)
        {
            var metrics = kind == BenchmarkKind.Pope ? Pope(group)
                : kind.IsMultipleChoice() ? MultipleChoice(group, circular)
                : [(Accuracy, Mean(group.Select(s => s.Correct)), group.Count)];
            scores.AddRange(metrics.Select(m => new BenchmarkScore(subsetKind, name, m.Metric, m.Value, m.N)));
        }
        return scores;
    }

    static List<(string Metric, double? Value, int N)> Pope(IReadOnlyList<ScoredSample> group)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var s in group)
        {
            bool predYes = PopeAnswer.Parse(s.Prediction) == "yes", labelYes = s.Sample.Answer.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
            if (predYes && labelYes) tp++; else if (predYes) fp++; else if (labelYes) fn++; else tn++;
        }
        int n = group.Count;
        double? precision = Ratio(tp, tp + fp), recall = Ratio(tp, tp + fn);
        double? f1 = precision is { } p && recall is { } r && p + r > 0 ? 2 * p * r / (p + r) : null;
        return [(Accuracy, Ratio(tp + tn, n), n), (Precision, precision, tp + fp), (Recall, recall, tp + fn), (F1, f1, n), (YesRatio, Ratio(tp + fp, n), n)];
    }

    static List<(string Metric, double? Value, int N)> MultipleChoice(IReadOnlyList<ScoredSample> group, bool circular)
    {
        var questions = group.GroupBy(s => s.Sample.GroupId ?? s.Sample.Id).Select(g => g.OrderBy(s => s.Sample.Round).ToList()).ToList();
        var metrics = new List<(string, double?, int)> { (Accuracy, Mean(questions.Select(q => q[0].Correct)), questions.Count) };
        if (circular) metrics.Add((CircularAccuracy, Mean(questions.Select(q => q.All(s => s.Correct))), questions.Count));
        return metrics;
    }

    static double? Mean(IEnumerable<bool> xs)
    {
        int n = 0, k = 0;
        foreach (bool x in xs) { n++; if (x) k++; }
        return Ratio(k, n);
    }

    static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
