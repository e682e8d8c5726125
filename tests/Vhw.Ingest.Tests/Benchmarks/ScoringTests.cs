using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Scoring;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Tests.Benchmarks;

public sealed class ScoringTests
{
    [Theory]
    [InlineData("Yes", "yes")]
    [InlineData("No", "no")]
    [InlineData("No, there is not.", "no")]
    [InlineData("There is no dog.", "no")]
    [InlineData("Yes. There is no cat in the corner.", "yes")] // only the first sentence counts
    [InlineData("I do not see one", "no")]
    [InlineData("NO", "yes")]                                  // LLaVA's check is case-sensitive
    [InlineData("", "yes")]
    public void Pope_predictions_read_as_llava_eval_pope_does(string prediction, string expected) =>
        Assert.Equal(expected, PopeAnswer.Parse(prediction));

    [Theory]
    [InlineData("B", "B")]
    [InlineData("(C) green", "C")]
    [InlineData("A. blue", "A")]
    [InlineData("b)", "B")]
    [InlineData("red", "B")]                 // the text of option B
    [InlineData("The answer is C.", "C")]
    [InlineData("a cat", null)]              // lower-case article, not option A
    [InlineData("D", null)]                  // only three options shown
    [InlineData("I cannot tell", null)]
    public void Option_letters_are_read_from_letters_option_texts_and_phrases(string prediction, string? expected) =>
        Assert.Equal(expected, OptionAnswer.Extract(prediction, ["blue", "red", "green"]));

    static BenchmarkSample Sample(string id, BenchmarkKind kind, string answer, string? split = null, string? group = null, int round = 0, string[]? options = null) =>
        new(id, "img.png", "q", answer, null, null, 1) { Kind = kind, Split = split, GroupId = group, Round = round, Options = options };

    [Fact]
    public void Sample_correctness_depends_on_the_kind()
    {
        Assert.True(SampleScorer.IsCorrect(Sample("p", BenchmarkKind.Pope, "no"), "No, it is not there."));
        Assert.False(SampleScorer.IsCorrect(Sample("p", BenchmarkKind.Pope, "yes"), "There is not."));
        Assert.True(SampleScorer.IsCorrect(Sample("m", BenchmarkKind.MMBench, "B", options: ["x", "y"]), "(B) y"));
        Assert.False(SampleScorer.IsCorrect(Sample("m", BenchmarkKind.SeedBench, "B", options: ["x", "y"]), "x"));
        Assert.True(SampleScorer.IsCorrect(Sample("c", BenchmarkKind.PointQA, "12"), "12 clocks"));
        Assert.True(SampleScorer.IsCorrect(Sample("c", BenchmarkKind.PointQA, "12"), "twelve"));
        Assert.False(SampleScorer.IsCorrect(Sample("c", BenchmarkKind.PointQA, "12"), "1"));
        Assert.False(SampleScorer.IsCorrect(Sample("c", BenchmarkKind.PointQA, "1"), "12"));
    }

    static double? Value(IReadOnlyList<BenchmarkScore> scores, string subset, string metric) =>
        scores.Single(s => s.Subset == subset && s.Metric == metric).Value;

    [Fact]
    public void Pope_scores_known_predictions()
    {
        // random: TP 2, FN 1, FP 1, TN 2; adversarial: every prediction "no" → precision undefined
        var answered = new List<ScoredSample>();
        void Add(string split, string label, string prediction) =>
            answered.Add(new ScoredSample(Sample($"{split}-{answered.Count}", BenchmarkKind.Pope, label, split), prediction, false));
        Add("random", "yes", "Yes"); Add("random", "yes", "Yes, there is."); Add("random", "yes", "No");
        Add("random", "no", "Yes"); Add("random", "no", "No"); Add("random", "no", "There is not.");
        Add("adversarial", "yes", "No"); Add("adversarial", "no", "No");

        var scores = BenchmarkScorer.Score(BenchmarkKind.Pope, answered);
        Assert.Equal(4.0 / 6, Value(scores, "random", "accuracy")!.Value, 12);
        Assert.Equal(2.0 / 3, Value(scores, "random", "precision")!.Value, 12);
        Assert.Equal(2.0 / 3, Value(scores, "random", "recall")!.Value, 12);
        Assert.Equal(2.0 / 3, Value(scores, "random", "f1")!.Value, 12);
        Assert.Equal(0.5, Value(scores, "random", "yes_ratio")!.Value, 12);
        Assert.Null(Value(scores, "adversarial", "precision"));
        Assert.Equal(0.0, Value(scores, "adversarial", "recall"));
        Assert.Null(Value(scores, "adversarial", "f1"));
        Assert.Equal(0.5, Value(scores, "adversarial", "accuracy"));
        // all: TP 2, FP 1, FN 2, TN 3
        Assert.Equal(5.0 / 8, Value(scores, "all", "accuracy")!.Value, 12);
        Assert.Equal(2.0 / 4, Value(scores, "all", "recall")!.Value, 12);
        Assert.Equal(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), Value(scores, "all", "f1")!.Value, 12);
        Assert.Equal(["all", "split", "split"], scores.Where(s => s.Metric == "accuracy").Select(s => s.SubsetKind));
        Assert.Equal(8, scores.Single(s => s.Subset == "all" && s.Metric == "accuracy").N);
    }

    [Fact]
    public void Circular_accuracy_needs_every_round_and_accuracy_uses_the_published_order()
    {
        string[] opts = ["a", "b", "c"];
        var answered = new List<ScoredSample>
        {
            new(Sample("q1", BenchmarkKind.MMBench, "A", group: "q1", round: 0, options: opts), "A", true),
            new(Sample("q1-r1", BenchmarkKind.MMBench, "C", group: "q1", round: 1, options: opts), "C", true),
            new(Sample("q1-r2", BenchmarkKind.MMBench, "B", group: "q1", round: 2, options: opts), "B", true),
            new(Sample("q2-r1", BenchmarkKind.MMBench, "A", group: "q2", round: 1, options: opts), "B", false),
            new(Sample("q2", BenchmarkKind.MMBench, "B", group: "q2", round: 0, options: opts), "B", true),
        };
        var scores = BenchmarkScorer.Score(BenchmarkKind.MMBench, answered);
        Assert.Equal(1.0, Value(scores, "all", "accuracy"));
        Assert.Equal(0.5, Value(scores, "all", "circular_accuracy"));
        Assert.Equal(2, scores.Single(s => s.Metric == "circular_accuracy").N);

        var plain = BenchmarkScorer.Score(BenchmarkKind.SeedBench, [new(Sample("s", BenchmarkKind.SeedBench, "A", options: opts), "B", false)]);
        Assert.Equal(["accuracy"], plain.Select(s => s.Metric));
        Assert.Equal(0.0, plain[0].Value);
    }

    [Fact]
    public void Short_answer_accuracy_breaks_down_by_question_type()
    {
        ScoredSample S(string id, string type, bool correct) =>
            new(Sample(id, BenchmarkKind.PointQA, "2") with { QuestionType = type }, correct ? "2" : "3", correct);
        var scores = BenchmarkScorer.Score(BenchmarkKind.PointQA, [S("1-general", "general", true), S("1-object", "object", false), S("2-general", "general", false)]);
        Assert.Equal([("all", "all", 1.0 / 3, 3), ("question_type", "general", 0.5, 2), ("question_type", "object", 0.0, 1)],
            scores.Select(s => (s.SubsetKind, s.Subset, s.Value!.Value, s.N)));
        Assert.Equal([("all", "all", (double?)null, 0)], BenchmarkScorer.Score(BenchmarkKind.PointQA, []).Select(s => (s.SubsetKind, s.Subset, s.Value, s.N)));
    }
}
