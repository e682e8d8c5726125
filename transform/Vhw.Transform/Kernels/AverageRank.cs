namespace Vhw.Transform.Kernels;

/// <summary>
/// Average ranks, as the SQL macro <c>average_rank</c> (transform/macros/average_rank.sql) computes them: ascending,
/// 1-based, tied values share the mean of the ranks they span ((first + last) / 2), NaN orders after every number and
/// NaNs tie with each other (DuckDB's order), -0 ties with 0. Spearman's rho is the Pearson correlation of two average
/// ranks (paper-method: the weight–concentration correlation, Figure 1). The kernel ranks the bootstrap replicates' head
/// means here instead of in a SQL window (one window partition per replicate and run: 36–44 s at 1 000 replicates and
/// 250M facts); tests check the two definitions agree on the same means, ties included.
/// The numbers are sorted by an LSD radix sort of their order-preserving 64-bit keys (8 passes of one byte, their histograms
/// counted in one pass, a pass skipped where every key shares its byte): measured 1.9× faster than Span.Sort of
/// (value, index) pairs at 1 024 heads, the size it runs at 2 000 times per run at 1 000 replicates. One instance holds the scratch buffers: one per thread.
/// </summary>
public sealed class AverageRank(int capacity)
{
    private readonly ulong[] _keys = new ulong[capacity], _keysOut = new ulong[capacity];
    private readonly int[] _order = new int[capacity], _orderOut = new int[capacity];
    private readonly int[] _counts = new int[8 * 256]; // one histogram per byte of the keys

    /// <summary>Writes the average rank of <c>values[i]</c> among the values to <c>ranks[i]</c> (at most capacity values).</summary>
    public void Of(ReadOnlySpan<double> values, Span<float> ranks)
    {
        int n = values.Length;
        if (n > _keys.Length || ranks.Length < n) throw new ArgumentException($"{n} values for {_keys.Length} places and {ranks.Length} ranks");
        // numbers first (their keys, to be sorted); NaNs after them, one tie group
        int numbers = 0, nans = n;
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(values[i])) _order[--nans] = i;
            else { _keys[numbers] = Key(values[i]); _order[numbers++] = i; }
        }
        var (keys, order) = Sort(numbers);
        for (int first = 0; first < numbers;)
        {
            int last = first;
            while (last + 1 < numbers && keys[last + 1] == keys[first]) last++;
            Assign(order, ranks, first, last);
            first = last + 1;
        }
        if (numbers < n) Assign(_order, ranks, numbers, n - 1);
    }

    // Order-preserving key of a number: the sign bit flipped for positives, every bit flipped for negatives (-0 as 0).
    private static ulong Key(double value)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    // Sorts _keys[..n] with _order[..n] by key, byte by byte from the lowest (stable); returns where the sorted arrays are.
    // The eight bytes' histograms come from one pass (a pass permutes the keys, so their bytes' counts stay valid).
    private (ulong[] Keys, int[] Order) Sort(int n)
    {
        ulong[] keys = _keys, keysOut = _keysOut;
        int[] order = _order, orderOut = _orderOut;
        Array.Clear(_counts);
        for (int i = 0; i < n; i++)
        {
            ulong key = keys[i];
            for (int b = 0; b < 8; b++) _counts[(b << 8) | (int)((key >> (8 * b)) & 0xFF)]++;
        }
        for (int b = 0; b < 8 && n > 0; b++)
        {
            int shift = 8 * b;
            var counts = _counts.AsSpan(b << 8, 256);
            if (counts[(int)(keys[0] >> shift) & 0xFF] == n) continue; // every key has this byte
            for (int d = 0, at = 0; d < 256; d++) (counts[d], at) = (at, at + counts[d]);
            for (int i = 0; i < n; i++)
            {
                int to = counts[(int)(keys[i] >> shift) & 0xFF]++;
                keysOut[to] = keys[i];
                orderOut[to] = order[i];
            }
            (keys, keysOut) = (keysOut, keys);
            (order, orderOut) = (orderOut, order);
        }
        return (keys, order);
    }

    // positions first..last (0-based) of the order tie: each gets ((first + 1) + (last + 1)) / 2
    private static void Assign(int[] order, Span<float> ranks, int first, int last)
    {
        float rank = (first + last + 2) / 2f;
        for (int at = first; at <= last; at++) ranks[order[at]] = rank;
    }
}
