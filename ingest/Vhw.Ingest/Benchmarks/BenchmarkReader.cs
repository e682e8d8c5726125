using System.Text.Json;

namespace Vhw.Ingest.Benchmarks;

/// <summary>
/// Reads the benchmark format: a folder with <c>questions.jsonl</c> and <c>images/</c>. Each non-blank line is one
/// JSON object: <c>id</c> (string, unique), <c>image</c> (path relative to the folder), <c>question</c>,
/// <c>answer</c> (strings), optional <c>box</c> [x0, y0, x1, y1] in image pixels and optional <c>task</c> (string).
/// Bad lines become <see cref="BenchmarkReject"/>s (first problem found, with field and reason) and reading goes on.
/// </summary>
public static class BenchmarkReader
{
    public const string QuestionsFile = "questions.jsonl";
    public const string ImagesFolder = "images";

    public static string QuestionsPath(string folder) => Path.Combine(folder, QuestionsFile);

    /// <summary>Streams the items in file order. A missing folder or questions.jsonl throws (that is not a per-line problem).</summary>
    public static IEnumerable<BenchmarkItem> Read(string folder)
    {
        string path = QuestionsPath(folder);
        if (!File.Exists(path)) throw new FileNotFoundException($"benchmark questions not found: {path}", path);
        return ReadLines(folder, path);
    }

    static IEnumerable<BenchmarkItem> ReadLines(string folder, string path)
    {
        string root = Path.GetFullPath(folder);
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var item = ParseLine(line, lineNo, path, root, firstLineOfId);
            if (item is BenchmarkSample s) firstLineOfId[s.Id] = lineNo;
            yield return item;
        }
    }

    static BenchmarkItem ParseLine(string line, int lineNo, string path, string root, Dictionary<string, int> seen)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { return new BenchmarkReject(path, lineNo, null, "json", $"malformed JSON: {e.Message}"); }
        using (doc)
        {
            var o = doc.RootElement;
            BenchmarkReject Reject(string? id, string field, string reason) => new(path, lineNo, id, field, reason);
            if (o.ValueKind != JsonValueKind.Object) return Reject(null, "json", $"expected a JSON object, got {o.ValueKind}");

            if (RequiredString(o, "id") is { } idErr) return Reject(null, "id", idErr);
            string id = o.GetProperty("id").GetString()!;
            if (seen.TryGetValue(id, out int first)) return Reject(id, "id", $"duplicate id (first on line {first})");
            foreach (var field in new[] { "image", "question", "answer" })
                if (RequiredString(o, field) is { } err) return Reject(id, field, err);

            string image = o.GetProperty("image").GetString()!.Replace('\\', '/');
            if (Path.IsPathRooted(image)) return Reject(id, "image", $"must be relative to the benchmark folder: {image}");
            string full = Path.GetFullPath(Path.Combine(root, image));
            if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return Reject(id, "image", $"path leaves the benchmark folder: {image}");
            if (!File.Exists(full)) return Reject(id, "image", $"file not found: {image}");

            float[]? box = null;
            if (o.TryGetProperty("box", out var b) && b.ValueKind != JsonValueKind.Null)
            {
                if (ParseBox(b, out box) is { } boxErr) return Reject(id, "box", boxErr);
            }
            string? task = null;
            if (o.TryGetProperty("task", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.String) return Reject(id, "task", $"must be a string, got {t.ValueKind}");
                task = t.GetString();
            }
            return new BenchmarkSample(id, image, o.GetProperty("question").GetString()!, o.GetProperty("answer").GetString()!, box, task, lineNo);
        }
    }

    static string? RequiredString(JsonElement o, string field)
    {
        if (!o.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return "missing";
        if (v.ValueKind != JsonValueKind.String) return $"must be a string, got {v.ValueKind}";
        return string.IsNullOrWhiteSpace(v.GetString()) ? "must not be empty" : null;
    }

    static string? ParseBox(JsonElement b, out float[]? box)
    {
        box = null;
        if (b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 4) return "must be an array [x0, y0, x1, y1]";
        var v = new float[4];
        for (int i = 0; i < 4; i++)
        {
            if (b[i].ValueKind != JsonValueKind.Number || !b[i].TryGetSingle(out v[i]) || !float.IsFinite(v[i]))
                return $"element {i} must be a finite number";
        }
        if (v[0] < 0 || v[1] < 0) return $"x0, y0 must be >= 0, got ({v[0]}, {v[1]})";
        if (v[2] <= v[0]) return $"x1 ({v[2]}) must be > x0 ({v[0]})";
        if (v[3] <= v[1]) return $"y1 ({v[3]}) must be > y0 ({v[1]})";
        box = v;
        return null;
    }
}
