namespace Vhw.Ingest.Pipeline;

/// <summary>Shard i of N: owns the benchmark items whose position mod N equals i.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec Single = new(0, 1);

    public static ShardSpec Parse(string spec)
    {
        var parts = spec.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 0 || i >= n)
            throw new ArgumentException($"shard '{spec}' must be i/N with 0 ≤ i < N, e.g. 0/4");
        return new ShardSpec(i, n);
    }

    public bool Owns(int position) => position % Count == Index;

    /// <summary>File-name tag: empty for an unsharded run, "-s1of3" otherwise.</summary>
    public string Tag => Count == 1 ? "" : $"-s{Index}of{Count}";

    public override string ToString() => $"{Index}/{Count}";
}
