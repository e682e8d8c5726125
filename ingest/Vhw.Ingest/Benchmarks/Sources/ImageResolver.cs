namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// Finds an image named by a benchmark row: the user's image roots first, then the format's usual folders next to
/// the benchmark file. Names must be relative and stay inside the root (no "..").
/// </summary>
public sealed class ImageResolver(IReadOnlyList<string> roots)
{
    public IReadOnlyList<string> Roots { get; } = roots.Select(Path.GetFullPath).Distinct().ToList();

    /// <summary>User roots, then the existing ones of <paramref name="defaults"/> (relative to <paramref name="root"/>).</summary>
    public static ImageResolver For(BenchmarkSourceOptions options, string root, params string[] defaults) =>
        new(options.ImageRoots.Concat(defaults.Select(d => Path.Combine(root, d))).Where(Directory.Exists).ToList());

    /// <summary>The absolute path, or null with the reason (bad name, or not found under any root).</summary>
    public string? Resolve(string name, out string? error)
    {
        error = null;
        string rel = name.Replace('\\', '/');
        if (Path.IsPathRooted(rel) || rel.Split('/').Contains(".."))
        {
            error = $"image name must be relative and stay inside the image root: {name}";
            return null;
        }
        foreach (var root in Roots)
        {
            string full = Path.Combine(root, rel);
            if (File.Exists(full)) return full;
        }
        error = Roots.Count == 0
            ? $"file not found: {name} (no image folder exists; pass --image-root)"
            : $"file not found: {name} (looked in {string.Join(", ", Roots)})";
        return null;
    }
}
