using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Scoring;

/// <summary>Whether one prediction is right, by the sample's benchmark kind (what lands in <c>samples.correct</c>).</summary>
public static class SampleScorer
{
    /// <summary>
    /// POPE: <see cref="PopeAnswer"/> equals the label. Multiple choice: <see cref="OptionAnswer"/> equals the answer
    /// letter. PointQA and questions.jsonl: <see cref="AnswerScorer"/> (normalised match; "12" is not "1").
    /// </summary>
    public static bool IsCorrect(BenchmarkSample sample, string prediction) => sample.Kind switch
    {
        BenchmarkKind.Pope => PopeAnswer.Parse(prediction) == sample.Answer.Trim().ToLowerInvariant(),
        _ when sample.Kind.IsMultipleChoice() && sample.Options is { } options =>
            OptionAnswer.Extract(prediction, options) == sample.Answer.Trim().ToUpperInvariant(),
        _ => AnswerScorer.IsCorrect(prediction, sample.Answer),
    };
}
