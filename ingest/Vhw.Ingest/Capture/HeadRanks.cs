namespace Vhw.Ingest.Capture;

/// <summary>
/// The one definition of a head's per-sample rank (stored as head_facts.image_rank): within one sample's captured query,
/// every head of the model (all layers × heads) ordered by attention mass on the image, image_fraction descending,
/// ties by lower layer, then lower head, so ranks 1..L·H are unique. It is the order behind the detection score
/// (paper-method.md "Visual heads": how often a head is among a sample's top N heads, head_scores.detection_score) and
/// head_activation_dynamics' mean rank. Ingest holds every head of a sample at once, so ranking here costs one small
/// sort per sample; the transform then counts top-N membership and rank means with plain aggregates instead of sorting
/// every sample of the warehouse again. schema.sql computes the same order for parts written before the column existed.
/// </summary>
public static class HeadRanks
{
    /// <summary>Ranks (1 = most image mass) of heads given in layer-major order (index = layer × heads + head).</summary>
    public static short[] ByImageFraction(IReadOnlyList<float> imageFractions)
    {
        if (imageFractions.Count > short.MaxValue)
            throw new ArgumentException($"{imageFractions.Count} heads exceed the image_rank column (smallint)", nameof(imageFractions));
        int[] order = Enumerable.Range(0, imageFractions.Count).ToArray();
        // layer-major index order = (layer, head) order, so the index breaks ties
        Array.Sort(order, (a, b) => Descending(imageFractions[a], imageFractions[b]) is var c && c != 0 ? c : a.CompareTo(b));
        var ranks = new short[order.Length];
        for (int r = 0; r < order.Length; r++) ranks[order[r]] = (short)(r + 1);
        return ranks;
    }

    /// <summary>
    /// image_fraction descending as DuckDB orders it in schema.sql's fallback (<c>order by image_fraction desc</c>): NaN
    /// above every number (float.CompareTo puts it below), two NaNs tie, -0 equals 0. Capture never writes a NaN.
    /// </summary>
    static int Descending(float x, float y)
    {
        bool xNaN = float.IsNaN(x), yNaN = float.IsNaN(y);
        return xNaN || yNaN ? yNaN.CompareTo(xNaN) : y.CompareTo(x);
    }
}
