using MathNet.Numerics.Distributions;
using Vhw.Ingest.Ablation;

namespace Vhw.Ingest.Tests.Ablation;

public sealed class AblationStatsTests
{
    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]     // Wilson 95 % (Newcombe 1998 / statsmodels proportion_confint method="wilson")
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    public void Wilson_interval_matches_published_values(int correct, int n, double low, double high)
    {
        var (l, h) = AblationStats.Wilson(correct, n);
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    [InlineData(3, 7)]
    [InlineData(10, 10)]
    [InlineData(40, 25)]
    [InlineData(900, 1100)]
    public void Exact_mcnemar_is_twice_the_binomial_tail_of_the_smaller_discordant_count(int lost, int gained)
    {
        int n = lost + gained;
        double expected = n == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, n, Math.Min(lost, gained)));
        Assert.Equal(expected, AblationStats.McNemarExact(lost, gained), 10);
        Assert.Equal(AblationStats.McNemarExact(lost, gained), AblationStats.McNemarExact(gained, lost));
    }

    [Fact]
    public void Mcnemar_of_five_to_nothing_is_one_sixteenth() => Assert.Equal(0.0625, AblationStats.McNemarExact(5, 0), 12);
}
