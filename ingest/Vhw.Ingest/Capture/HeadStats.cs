namespace Vhw.Ingest.Capture;

/// <summary>Statistics of one attention row restricted to one token set S.</summary>
/// <param name="Fraction">a_S: attention mass on S.</param>
/// <param name="Entropy">H of p_j = A_j / a_S over S, in nats; null when a_S = 0 or S is empty.</param>
/// <param name="Concentration">1 − H / ln|S|; 1 when |S| = 1; null when H is null.</param>
/// <param name="Top1Share">max_{j∈S} p_j; null when H is null.</param>
public readonly record struct SetStats(float Fraction, float? Entropy, float? Concentration, float? Top1Share);

/// <summary>
/// The one definition of every per-head statistic the warehouse stores.
/// Bi et al., CVPR 2025 (arXiv 2412.18108), §3 "visual attention" and "concentration"; the
/// concentration formula is reconstructed from the authors' released fields (imatt_sum, imatt_concen),
/// see shared/paper-method.md: a_S = Σ_{j∈S} A_j, p_j = A_j / a_S, H = −Σ p_j ln p_j,
/// concentration = 1 − H / ln|S| (1 = all mass on one token of S, 0 = spread evenly over S).
/// Sums run in double; results are stored as float. Stored per head: every set's fraction, concentration and top-1
/// share; derived in schema.sql's head_facts view from those (exact up to float rounding, below 1e-6): the text
/// fraction 1 − a_image (text = every key that is not an image token, and A sums to 1) and every entropy
/// H = (1 − concentration) · ln|S| (the concentration's definition solved for H; 0 when |S| = 1).
/// </summary>
public static class HeadStats
{
    public static SetStats Of(ReadOnlySpan<float> row, TokenSet set)
    {
        if (set.Count == 0) return new SetStats(0f, null, null, null);

        double mass = 0, max = 0;
        foreach (int j in set)
        {
            double a = row[j];
            mass += a;
            if (a > max) max = a;
        }
        if (mass <= 0) return new SetStats(0f, null, null, null);

        double entropy = 0;
        foreach (int j in set)
        {
            double p = row[j] / mass;
            if (p > 0) entropy -= p * Math.Log(p);
        }
        double concentration = set.Count == 1 ? 1.0 : 1.0 - entropy / Math.Log(set.Count);
        return new SetStats((float)mass, (float)entropy, (float)concentration, (float)(max / mass));
    }
}
