namespace Vhw.Ingest.Ablation;

/// <summary>The statistics of an ablation result row: Wilson interval of an accuracy, the exact McNemar test and the percentile among random draws.</summary>
public static class AblationStats
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Wilson score interval of <paramref name="correct"/> successes in <paramref name="n"/> trials; (0, 1) for n = 0.</summary>
    public static (double Low, double High) Wilson(int correct, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correct, n);
        if (n == 0) return (0, 1);
        double p = (double)correct / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }

    /// <summary>
    /// Exact two-sided McNemar test on the discordant pairs: <paramref name="lost"/> samples right at baseline and wrong
    /// when ablated, <paramref name="gained"/> the reverse. p = min(1, 2·P(X ≤ min(lost, gained))), X ~ Binomial(lost +
    /// gained, ½); 1 when there is no discordant pair. Summed in log space, so large counts do not underflow.
    /// </summary>
    public static double McNemarExact(int lost, int gained)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lost);
        ArgumentOutOfRangeException.ThrowIfNegative(gained);
        int n = lost + gained, m = Math.Min(lost, gained);
        if (n == 0) return 1.0;
        double logPmf = -n * Math.Log(2), logCdf = logPmf;                     // P(X = 0)
        for (int i = 1; i <= m; i++)
        {
            logPmf += Math.Log(n - i + 1) - Math.Log(i);
            logCdf = LogAdd(logCdf, logPmf);
        }
        return Math.Min(1.0, 2 * Math.Exp(logCdf));
    }

    /// <summary>
    /// Mid-rank percentile of <paramref name="accuracy"/> among the accuracies of random draws of the same size,
    /// 100 · (#lower + ½ · #equal) / #draws: low = removing these heads hurts more than removing random ones. The C# twin
    /// of ablation_effects.random_percentile (transform/models/marts/ablation_effects.sql); NaN without draws.
    /// </summary>
    public static double RandomPercentile(double accuracy, IReadOnlyCollection<double> draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.Count == 0) return double.NaN;
        return 100.0 * (draws.Count(d => d < accuracy) + 0.5 * draws.Count(d => d == accuracy)) / draws.Count;
    }

    private static double LogAdd(double a, double b) => a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
}
