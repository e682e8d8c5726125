using System.Globalization;
using System.Text.Json;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// PointQA / LookTwice-QA as published (Shikra's <c>pointQA_twice_{val,test}.jsonl</c>): one object per line with the
/// image (<c>file_path</c>, or <c>image</c> / <c>img_path</c>, or <c>image_id</c> / <c>genome_id</c> → "{id}.jpg"),
/// <c>bbox</c> [x0, y0, x1, y1] in image pixels, <c>answer</c> (a count, string or integer) and up to three questions:
/// <c>general_question</c> ("How many of these are there?"), <c>obj_question</c> ("How many clocks …") and
/// <c>super_question</c> ("How many of these vehicles …"). Each present question is one sample "{id}-{general|object|super}"
/// with the box, so region statistics apply. The row id is <c>id</c> / <c>question_id</c>, else the line number.
/// Images: --image-root folders, then images/, VG_100K/, the folder.
/// </summary>
public sealed class PointQaSource : IBenchmarkSource
{
    /// <summary>(field, question type) in the order the samples are emitted.</summary>
    public static readonly IReadOnlyList<(string Field, string Type)> QuestionFields =
        [("general_question", "general"), ("obj_question", "object"), ("super_question", "super")];

    static readonly string[] ImageFields = ["file_path", "image", "img_path"];
    static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "question_id", "file_path", "image", "img_path", "image_id", "genome_id", "answer", "bbox", "point",
        "general_question", "obj_question", "super_question", "height", "width",
    };

    readonly string _file;
    readonly ImageResolver _images;

    public PointQaSource(string file, BenchmarkSourceOptions options)
    {
        _file = Path.GetFullPath(file);
        if (!File.Exists(_file)) throw new FileNotFoundException($"PointQA JSONL not found: {_file}", _file);
        _images = ImageResolver.For(options, Root, "images", "VG_100K", ".");
    }

    public string Name => Path.GetFileNameWithoutExtension(_file);
    public BenchmarkKind Kind => BenchmarkKind.PointQA;
    public string Root => Path.GetDirectoryName(_file)!;
    public IReadOnlyList<string> Files => [_file];
    public string Settings => "";

    public IEnumerable<BenchmarkItem> Read()
    {
        var unknown = new UnknownFields(_file, Known);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in JsonRows.Lines(_file))
        {
            BenchmarkReject Reject(string? id, string field, string reason) => new(_file, row.Line, id, field, reason);
            if (row.Error is not null) { yield return Reject(null, "json", row.Error); continue; }
            var o = row.Value;
            if (o.ValueKind != JsonValueKind.Object) { yield return Reject(null, "json", $"expected a JSON object, got {o.ValueKind}"); continue; }
            string id = JsonRows.OptionalText(o, "id") ?? JsonRows.OptionalText(o, "question_id") ?? $"line{row.Line.ToString(CultureInfo.InvariantCulture)}";
            foreach (var r in unknown.Check(o, row.Line, id)) yield return r;
            if (seen.TryGetValue(id, out int first)) { yield return Reject(id, "id", $"duplicate id (first on line {first})"); continue; }
            seen[id] = row.Line;

            string? image = ImageName(o, out string field, out var err);
            if (image is null) { yield return Reject(id, field, err!); continue; }
            string? answer = JsonRows.StringOrInteger(o, "answer", out err);
            if (answer is null) { yield return Reject(id, "answer", err!); continue; }
            if (Box(o, out err) is not { } box) { yield return Reject(id, "bbox", err!); continue; }
            var questions = QuestionFields.Where(q => o.TryGetProperty(q.Field, out var v) && v.ValueKind != JsonValueKind.Null).ToList();
            if (questions.Count == 0) { yield return Reject(id, "general_question", "no question: needs general_question, obj_question or super_question"); continue; }
            string? full = _images.Resolve(image, out err);
            if (full is null) { yield return Reject(id, field, err!); continue; }

            foreach (var (qField, type) in questions)
            {
                string sid = $"{id}-{type}";
                string? question = JsonRows.String(o, qField, out err);
                if (question is null) { yield return Reject(sid, qField, err!); continue; }
                yield return new BenchmarkSample(sid, image.Replace('\\', '/'), question, answer, box, type, row.Line)
                {
                    Kind = BenchmarkKind.PointQA, QuestionType = type, SourceFile = _file, ResolvedImagePath = full,
                };
            }
        }
    }

    static string? ImageName(JsonElement o, out string field, out string? error)
    {
        foreach (var f in ImageFields)
            if (o.TryGetProperty(f, out var v) && v.ValueKind != JsonValueKind.Null) { field = f; return JsonRows.String(o, f, out error); }
        foreach (var f in new[] { "image_id", "genome_id" })
            if (JsonRows.OptionalText(o, f) is { } imageId) { field = f; error = null; return $"{imageId}.jpg"; }
        field = "file_path";
        error = "missing (file_path, image, img_path, image_id or genome_id)";
        return null;
    }

    static float[]? Box(JsonElement o, out string? error)
    {
        error = null;
        if (!o.TryGetProperty("bbox", out var b) || b.ValueKind == JsonValueKind.Null) { error = "missing"; return null; }
        if (b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 4) { error = "must be an array [x0, y0, x1, y1]"; return null; }
        var v = new float[4];
        for (int i = 0; i < 4; i++)
            if (b[i].ValueKind != JsonValueKind.Number || !b[i].TryGetSingle(out v[i]) || !float.IsFinite(v[i])) { error = $"element {i} must be a finite number"; return null; }
        if (v[0] < 0 || v[1] < 0) error = $"x0, y0 must be >= 0, got ({v[0]}, {v[1]})";
        else if (v[2] <= v[0]) error = $"x1 ({v[2]}) must be > x0 ({v[0]})";
        else if (v[3] <= v[1]) error = $"y1 ({v[3]}) must be > y0 ({v[1]})";
        return error is null ? v : null;
    }
}
