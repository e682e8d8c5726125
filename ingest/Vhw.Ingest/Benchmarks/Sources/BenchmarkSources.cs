using System.Text.Json;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>A benchmark found on disk: its format and the file or folder to open.</summary>
public sealed record BenchmarkCandidate(BenchmarkKind Kind, string Path)
{
    /// <summary>The explicit spec that opens exactly this benchmark.</summary>
    public string Spec => $"{Kind.Name()}:{Path}";
}

/// <summary>
/// Opens benchmark sources from a spec: <c>format:path</c> (format one of questions, pope, mmbench, seed, qbench,
/// pointqa), or a path whose format is detected: a folder must hold exactly one benchmark, a file is recognised by
/// name and content. Detection reads at most a file's first line or first 64 KiB.
/// </summary>
public static class BenchmarkSources
{
    const int SniffBytes = 64 * 1024;

    public static IBenchmarkSource Open(string spec, BenchmarkSourceOptions options)
    {
        var (kind, path) = Parse(spec);
        if (kind is { } k) return Create(k, path, options);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"benchmark not found: {path}", path);
        var found = Detect(path);
        return found.Count switch
        {
            1 => Create(found[0].Kind, found[0].Path, options),
            0 => throw new InvalidDataException(
                $"no benchmark format recognised in {path}; give it explicitly as <format>:<path> with a format of {string.Join(", ", BenchmarkKinds.All)}"),
            _ => throw new InvalidDataException(
                $"{path} holds {found.Count} benchmarks; pick one: {string.Join(" ", found.Select(c => c.Spec))}"),
        };
    }

    /// <summary>Splits "format:path"; the format is null when the prefix is not a known format name (e.g. "C:\data").</summary>
    public static (BenchmarkKind? Kind, string Path) Parse(string spec)
    {
        int colon = spec.IndexOf(':');
        if (colon > 1 && BenchmarkKinds.TryParse(spec[..colon]) is { } kind) return (kind, spec[(colon + 1)..]);
        return (null, spec);
    }

    public static IBenchmarkSource Create(BenchmarkKind kind, string path, BenchmarkSourceOptions options) => kind switch
    {
        BenchmarkKind.Questions => new QuestionsSource(File.Exists(path) ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))! : path),
        BenchmarkKind.Pope => new PopeSource(path, options),
        BenchmarkKind.MMBench => new MMBenchSource(path, options),
        BenchmarkKind.SeedBench => new SeedBenchSource(path, options),
        BenchmarkKind.QBench => new QBenchSource(path, options),
        BenchmarkKind.PointQA => new PointQaSource(path, options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The benchmarks in a folder (not its subfolders) or the one a file is: questions.jsonl → questions;
    /// POPE split files → one pope benchmark for the folder; every other recognised file → one benchmark each.
    /// </summary>
    public static IReadOnlyList<BenchmarkCandidate> Detect(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) return DetectFile(full) is { } k ? [new BenchmarkCandidate(k, full)] : [];
        if (!Directory.Exists(full)) return [];
        var found = new List<BenchmarkCandidate>();
        if (File.Exists(BenchmarkReader.QuestionsPath(full))) found.Add(new(BenchmarkKind.Questions, full));
        bool pope = false;
        foreach (var file in Directory.EnumerateFiles(full).Order(StringComparer.Ordinal))
        {
            if (System.IO.Path.GetFileName(file) == BenchmarkReader.QuestionsFile) continue;
            switch (DetectFile(file))
            {
                case BenchmarkKind.Pope when PopeSource.SplitFiles(full).Contains(file):
                    if (!pope) found.Add(new(BenchmarkKind.Pope, full));
                    pope = true;
                    break;
                case { } kind:
                    found.Add(new(kind, file));
                    break;
            }
        }
        return found;
    }

    /// <summary>The format of one file by extension and content, or null.</summary>
    public static BenchmarkKind? DetectFile(string file)
    {
        string ext = System.IO.Path.GetExtension(file).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".tsv" => LooksLikeMMBench(file) ? BenchmarkKind.MMBench : null,
                ".json" => SniffJson(file) ?? KindOfRow(FirstLineKeys(file)),
                ".jsonl" => KindOfRow(FirstLineKeys(file)),
                _ => null,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    static BenchmarkKind? KindOfRow(IReadOnlySet<string>? keys)
    {
        if (keys is null) return null;
        if (keys.Contains("text") && keys.Contains("label") && keys.Contains("image")) return BenchmarkKind.Pope;
        if (PointQaSource.QuestionFields.Any(q => keys.Contains(q.Field))) return BenchmarkKind.PointQA;
        return null;
    }

    /// <summary>The keys of the first line when it is a whole JSON object within the first 64 KiB (JSON lines); null otherwise.</summary>
    static IReadOnlySet<string>? FirstLineKeys(string file)
    {
        string head = Head(file).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        int end = head.IndexOf('\n');
        if (end < 0 && head.Length >= SniffBytes) return null;
        string line = end < 0 ? head : head[..end];
        if (!line.TrimStart().StartsWith('{')) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet() : null;
        }
        catch (JsonException) { return null; }
    }

    static BenchmarkKind? SniffJson(string file)
    {
        string head = Head(file).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (head.StartsWith('{') && head.Contains("\"questions\"") && (head.Contains("\"choice_a\"") || head.Contains("\"question_type\"")))
            return BenchmarkKind.SeedBench;
        if (head.StartsWith('[') && head.Contains("\"img_path\"") && head.Contains("\"candidates\"")) return BenchmarkKind.QBench;
        return null;
    }

    static bool LooksLikeMMBench(string file)
    {
        string? header = File.ReadLines(file).FirstOrDefault();
        if (header is null) return false;
        var columns = header.TrimStart('\uFEFF').Split('\t').ToHashSet(StringComparer.Ordinal);
        return new[] { "index", "question", "A", "B", "image" }.All(columns.Contains);
    }

    static string Head(string file)
    {
        using var f = File.OpenRead(file);
        var buffer = new byte[SniffBytes];
        int n = f.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
    }
}
