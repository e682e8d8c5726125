namespace Vhw.Zoo.Data;

/// <summary>SplitMix64: a seeded PRNG whose sequence is fixed by its algorithm (System.Random's is not a contract).</summary>
public sealed class ZooRng(ulong seed)
{
    ulong _state = seed;

    public ZooRng(long seed, long stream) : this(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream)) { }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) (modulo bias is negligible for the small n used here).</summary>
    public int Next(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : (int)(NextUInt64() % (ulong)n);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int PickWeighted(IReadOnlyList<double> weights)
    {
        double u = NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Count; i++)
            if ((u -= weights[i]) < 0) return i;
        return weights.Count - 1;
    }

    public void Shuffle<T>(IList<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
