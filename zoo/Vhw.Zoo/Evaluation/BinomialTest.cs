namespace Vhw.Zoo.Evaluation;

/// <summary>
/// The one-sided exact binomial test used for "clearly above chance": p = P(X ≥ k) for X ~ Binomial(n, p0), the
/// probability of scoring at least k of n by guessing at the chance rate p0. Summed term by term in log space (no
/// normal approximation, no underflow for large n).
/// </summary>
public static class BinomialTest
{
    /// <summary>Significance level below which an accuracy counts as clearly above chance.</summary>
    public const double Alpha = 0.01;

    /// <summary>P(X ≥ <paramref name="successes"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="chance"/>).</summary>
    public static double UpperTail(int successes, int n, double chance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, n);
        if (chance is < 0 or > 1 || double.IsNaN(chance)) throw new ArgumentOutOfRangeException(nameof(chance), "a rate lies in [0, 1]");
        if (successes == 0) return 1.0;
        if (chance == 0) return 0.0;
        if (chance == 1) return 1.0;
        double logP = Math.Log(chance), logQ = Math.Log(1 - chance);
        double logTerm = LogChoose(n, successes) + successes * logP + (n - successes) * logQ;   // P(X = k)
        double logSum = logTerm;
        for (int i = successes + 1; i <= n; i++)
        {
            logTerm += Math.Log(n - i + 1) - Math.Log(i) + logP - logQ;                          // P(X = i) from P(X = i − 1)
            logSum = logSum > logTerm ? logSum + Math.Log(1 + Math.Exp(logTerm - logSum)) : logTerm + Math.Log(1 + Math.Exp(logSum - logTerm));
        }
        return Math.Min(1.0, Math.Exp(logSum));
    }

    /// <summary>True when <paramref name="successes"/> of <paramref name="n"/> is significantly above <paramref name="chance"/> (p &lt; <see cref="Alpha"/>).</summary>
    public static bool AboveChance(int successes, int n, double chance) => UpperTail(successes, n, chance) < Alpha;

    static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
