using System.Text.RegularExpressions;

namespace Vhw.Transform;

/// <summary>A run (or one of its shards) that started but has no runs row yet.</summary>
public sealed record IncompleteRun(string Model, string Benchmark, string RunId, int ShardCount, IReadOnlyList<int> MissingShards)
{
    public override string ToString() => ShardCount == 1
        ? $"{Model} × {Benchmark}: run {RunId} is incomplete"
        : $"{Model} × {Benchmark}: run {RunId} is missing shard(s) {string.Join(", ", MissingShards)} of {ShardCount}";
}

/// <summary>
/// Checks, from file names alone, that every run that started (a manifest under _manifests/) finished all
/// its shards (a runs part per shard). Ingest names them &lt;run&gt;[-s&lt;i&gt;of&lt;N&gt;].jsonl and
/// part-&lt;run&gt;[-s&lt;i&gt;of&lt;N&gt;].parquet.
/// </summary>
public static partial class RunCompleteness
{
    [GeneratedRegex(@"^(?:part-)?(?<run>[0-9a-f]{16})(?:-s(?<i>\d+)of(?<n>\d+))?\.(?:jsonl|parquet)$")]
    private static partial Regex ShardFile();

    sealed record Key(string Model, string Benchmark, string RunId);

    public static IReadOnlyList<IncompleteRun> Find(string warehouseRoot)
    {
        var started = Scan(Path.Combine(warehouseRoot, "_manifests"), "*.jsonl");
        var finished = Scan(Path.Combine(warehouseRoot, "runs"), "*.parquet");
        var result = new List<IncompleteRun>();
        foreach (var (key, shards) in started)
        {
            int n = shards.Max(s => s.Count);
            var done = finished.TryGetValue(key, out var f) ? f.Where(s => s.Count == n).Select(s => s.Index).ToHashSet() : new HashSet<int>();
            var missing = Enumerable.Range(0, n).Where(i => !done.Contains(i)).ToList();
            if (missing.Count > 0) result.Add(new IncompleteRun(key.Model, key.Benchmark, key.RunId, n, missing));
        }
        return result.OrderBy(r => r.Model).ThenBy(r => r.Benchmark).ThenBy(r => r.RunId).ToList();
    }

    static Dictionary<Key, List<(int Index, int Count)>> Scan(string tableDir, string pattern)
    {
        var map = new Dictionary<Key, List<(int, int)>>();
        if (!Directory.Exists(tableDir)) return map;
        foreach (var file in Directory.EnumerateFiles(tableDir, pattern, SearchOption.AllDirectories))
        {
            var m = ShardFile().Match(Path.GetFileName(file));
            var bench = Path.GetFileName(Path.GetDirectoryName(file)!);
            var model = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))!);
            if (!m.Success || !bench.StartsWith("benchmark=") || !model.StartsWith("model=")) continue;
            var key = new Key(model["model=".Length..], bench["benchmark=".Length..], m.Groups["run"].Value);
            int i = m.Groups["i"].Success ? int.Parse(m.Groups["i"].Value) : 0, n = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value) : 1;
            (map.TryGetValue(key, out var list) ? list : map[key] = new()).Add((i, n));
        }
        return map;
    }
}
