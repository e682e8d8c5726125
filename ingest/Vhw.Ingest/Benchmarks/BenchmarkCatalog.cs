using Vhw.Ingest.Benchmarks.Sources;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks;

/// <summary>What one benchmark under a data root holds, read the way ingest reads it (images checked, nothing run).</summary>
/// <param name="Name">The warehouse benchmark name ingest will use.</param>
/// <param name="Subsets">Sample counts per "split=…", "category=…", "question_type=…".</param>
/// <param name="Rejects">The first rejects (at most <see cref="BenchmarkCatalog.MaxRejectsShown"/>); <see cref="RejectCount"/> counts all.</param>
/// <param name="Error">Why the benchmark could not be read at all (then the counts are 0).</param>
public sealed record BenchmarkSummary(BenchmarkCandidate Candidate, string Name, int Samples, int RejectCount,
    IReadOnlyDictionary<string, int> Subsets, IReadOnlyList<BenchmarkReject> Rejects, string? Error);

/// <summary>Finds the benchmarks under a data root (the root and its subfolders, a few levels deep) and counts them.</summary>
public static class BenchmarkCatalog
{
    public const int MaxRejectsShown = 20;

    /// <summary>Every benchmark found, in path order. Hidden folders are skipped; subfolders down to <paramref name="maxDepth"/>.</summary>
    public static IReadOnlyList<BenchmarkCandidate> Find(string root, int maxDepth = 3)
    {
        if (!Directory.Exists(root) && !File.Exists(root)) throw new DirectoryNotFoundException($"data root not found: {root}");
        var found = new List<BenchmarkCandidate>();
        void Walk(string dir, int depth)
        {
            found.AddRange(BenchmarkSources.Detect(dir));
            if (depth >= maxDepth) return;
            foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal))
                Walk(sub, depth + 1);
        }
        if (File.Exists(root)) found.AddRange(BenchmarkSources.Detect(root));
        else Walk(Path.GetFullPath(root), 0);
        return found;
    }

    public static IReadOnlyList<BenchmarkSummary> Scan(string root, BenchmarkSourceOptions options, int maxDepth = 3, CancellationToken ct = default) =>
        Find(root, maxDepth).Select(c => Summarise(c, options, ct)).ToList();

    public static BenchmarkSummary Summarise(BenchmarkCandidate candidate, BenchmarkSourceOptions options, CancellationToken ct = default)
    {
        string name = Path.GetFileNameWithoutExtension(candidate.Path);
        try
        {
            var source = BenchmarkSources.Create(candidate.Kind, candidate.Path, options);
            name = source.Name;
            int samples = 0, rejectCount = 0;
            var rejects = new List<BenchmarkReject>();
            var subsets = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in source.Read())
            {
                ct.ThrowIfCancellationRequested();
                if (item is BenchmarkReject r)
                {
                    rejectCount++;
                    if (rejects.Count < MaxRejectsShown) rejects.Add(r);
                    continue;
                }
                var s = (BenchmarkSample)item;
                samples++;
                foreach (var (kind, value) in new[] { ("split", s.Split), ("category", s.Category), ("question_type", s.QuestionType) })
                    if (value is not null) subsets[$"{kind}={value}"] = subsets.GetValueOrDefault($"{kind}={value}") + 1;
            }
            return new BenchmarkSummary(candidate, name, samples, rejectCount, subsets, rejects, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            return new BenchmarkSummary(candidate, name, 0, 0, new Dictionary<string, int>(), [], e.Message);
        }
    }

    /// <summary>A plain-text listing: one line per benchmark (format, name, samples, rejects, spec), then its subsets and rejects.</summary>
    public static string Render(IReadOnlyList<BenchmarkSummary> summaries, bool details)
    {
        if (summaries.Count == 0) return "no benchmarks found\n";
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{"format",-10} {"name",-28} {"samples",8} {"rejects",8}  spec");
        foreach (var s in summaries)
        {
            sb.AppendLine($"{s.Candidate.Kind.Name(),-10} {s.Name,-28} {s.Samples,8} {s.RejectCount,8}  {s.Candidate.Spec}");
            if (s.Error is not null) sb.AppendLine($"    error: {s.Error}");
            if (!details) continue;
            if (s.Subsets.Count > 0) sb.AppendLine("    " + string.Join(", ", s.Subsets.Select(kv => $"{kv.Key}: {kv.Value}")));
            foreach (var r in s.Rejects) sb.AppendLine($"    reject {r.SourceFile}:{r.Line} [{r.Field}] {r.Reason}");
            if (s.RejectCount > s.Rejects.Count) sb.AppendLine($"    … {s.RejectCount - s.Rejects.Count} more rejects");
        }
        int total = summaries.Sum(s => s.Samples), rejected = summaries.Sum(s => s.RejectCount);
        sb.AppendLine($"{summaries.Count} benchmarks, {total} samples, {rejected} rejects");
        return sb.ToString();
    }
}
