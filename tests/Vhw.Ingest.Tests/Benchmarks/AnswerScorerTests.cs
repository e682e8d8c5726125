using Vhw.Ingest.Benchmarks;

namespace Vhw.Ingest.Tests.Benchmarks;

public sealed class AnswerScorerTests
{
    [Theory]
    [InlineData("Yes.", "yes", true)]
    [InlineData(" YES ", "Yes", true)]
    [InlineData("Yes, there is a red square.", "Yes", true)]
    [InlineData("No", "Yes", false)]
    [InlineData("(B) a cat", "B", true)]
    [InlineData("two", "2", true)]
    [InlineData("12", "1", false)] // the authors compared first characters; we do not
    [InlineData("3.5", "3.5", true)]
    [InlineData("red square", "a red square", false)]
    [InlineData("anything", "", false)]
    public void Scores_short_answers(string prediction, string answer, bool correct) =>
        Assert.Equal(correct, AnswerScorer.IsCorrect(prediction, answer));

    [Fact]
    public void Normalise_strips_case_punctuation_and_spaces() =>
        Assert.Equal("it s 3 5.0 or 3.5", AnswerScorer.Normalise("  It's THREE, 5.0... or 3.5!"));
}
