using System.Text.RegularExpressions;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// POPE as published: JSON-lines files <c>coco_pope_{random,popular,adversarial}.json</c>, one object per line with
/// <c>question_id</c>, <c>image</c> (file name in the COCO val2014 folder), <c>text</c> and <c>label</c> (yes/no).
/// A folder source reads every split file in it (ids "{split}-{question_id}", as ids repeat across splits); a file
/// source reads one. Images: --image-root folders, then the folder itself, images/, val2014/.
/// </summary>
public sealed partial class PopeSource : IBenchmarkSource
{
    static readonly IReadOnlySet<string> Known = new HashSet<string> { "question_id", "image", "text", "label", "category" };
    readonly ImageResolver _images;

    public PopeSource(string path, BenchmarkSourceOptions options)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            Root = full;
            Name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
            Files = SplitFiles(full);
            if (Files.Count == 0) throw new FileNotFoundException($"no POPE files (coco_pope_<split>.json) in {full}");
        }
        else
        {
            if (!File.Exists(full)) throw new FileNotFoundException($"POPE file not found: {full}", full);
            Root = Path.GetDirectoryName(full)!;
            Name = Path.GetFileNameWithoutExtension(full);
            Files = [full];
        }
        _images = ImageResolver.For(options, Root, ".", "images", "val2014");
    }

    public string Name { get; }
    public BenchmarkKind Kind => BenchmarkKind.Pope;
    public string Root { get; }
    public IReadOnlyList<string> Files { get; }
    public string Settings => "";

    /// <summary>The split files of a folder: <c>*pope*_&lt;split&gt;.json</c>, in file-name order.</summary>
    public static IReadOnlyList<string> SplitFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.json").Where(f => SplitPattern().IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList();

    /// <summary>"adversarial" for coco_pope_adversarial.json; the file name without extension otherwise.</summary>
    public static string SplitOf(string file)
    {
        var m = SplitPattern().Match(Path.GetFileName(file));
        return m.Success ? m.Groups[1].Value : Path.GetFileNameWithoutExtension(file);
    }

    [GeneratedRegex(@"pope.*_([A-Za-z0-9]+)\.json$", RegexOptions.IgnoreCase)]
    private static partial Regex SplitPattern();

    public IEnumerable<BenchmarkItem> Read() => Files.SelectMany(ReadFile);

    IEnumerable<BenchmarkItem> ReadFile(string file)
    {
        string split = SplitOf(file);
        var unknown = new UnknownFields(file, Known);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in JsonRows.Lines(file))
        {
            BenchmarkReject Reject(string? id, string field, string reason) => new(file, row.Line, id, field, reason);
            if (row.Error is not null) { yield return Reject(null, "json", row.Error); continue; }
            if (row.Value.ValueKind != System.Text.Json.JsonValueKind.Object) { yield return Reject(null, "json", $"expected a JSON object, got {row.Value.ValueKind}"); continue; }

            string? qid = JsonRows.StringOrInteger(row.Value, "question_id", out var err);
            if (qid is null) { yield return Reject(null, "question_id", err!); continue; }
            string id = $"{split}-{qid}";
            foreach (var r in unknown.Check(row.Value, row.Line, id)) yield return r;
            if (seen.TryGetValue(id, out int first)) { yield return Reject(id, "question_id", $"duplicate question_id (first on line {first})"); continue; }
            seen[id] = row.Line;

            string? image = JsonRows.String(row.Value, "image", out err);
            if (image is null) { yield return Reject(id, "image", err!); continue; }
            string? text = JsonRows.String(row.Value, "text", out err);
            if (text is null) { yield return Reject(id, "text", err!); continue; }
            string? label = JsonRows.String(row.Value, "label", out err);
            if (label is null) { yield return Reject(id, "label", err!); continue; }
            label = label.Trim().ToLowerInvariant();
            if (label is not ("yes" or "no")) { yield return Reject(id, "label", $"must be yes or no, got '{label}'"); continue; }
            string? full = _images.Resolve(image, out err);
            if (full is null) { yield return Reject(id, "image", err!); continue; }

            yield return new BenchmarkSample(id, image.Replace('\\', '/'), text, label, null, split, row.Line)
            {
                Kind = BenchmarkKind.Pope, Split = split, SourceFile = file, ResolvedImagePath = full,
            };
        }
    }
}
