namespace Vhw.Ingest.Benchmarks;

/// <summary>A tiny seeded PRNG whose sequence is fixed by its algorithm (System.Random's is not a documented contract).</summary>
internal sealed class SplitMix64(ulong seed)
{
    ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) (modulo bias is negligible for the small n used here).</summary>
    public int Next(int n) => (int)(Next() % (ulong)n);

    public void Shuffle<T>(IList<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
