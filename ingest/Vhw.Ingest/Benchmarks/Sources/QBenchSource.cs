using System.Globalization;
using System.Text.Json;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// Q-Bench (LLVisionQA) as published: a JSON array of objects with <c>img_path</c>, <c>question</c>, <c>candidates</c>
/// (2–4 strings), <c>correct_ans</c> (one of the candidates), <c>type</c> (0 yes-or-no, 1 what, 2 how) and
/// <c>concern</c> (0 distortion, 1 other low-level, 2 in-context distortion, 3 in-context other). The rows carry no id:
/// the sample id is the 0-based position in the array. Images: --image-root folders, then images_llvisionqa/, images/, the folder.
/// </summary>
public sealed class QBenchSource : IBenchmarkSource
{
    static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "img_path", "question", "candidates", "correct_ans", "type", "concern", "question_type", "question_concern",
    };
    static readonly string[] TypeNames = ["yes_or_no", "what", "how"];
    static readonly string[] ConcernNames = ["distortion", "other_low_level", "in_context_distortion", "in_context_other"];

    readonly string _file;
    readonly bool _circular;
    readonly ImageResolver _images;

    public QBenchSource(string file, BenchmarkSourceOptions options)
    {
        _file = Path.GetFullPath(file);
        if (!File.Exists(_file)) throw new FileNotFoundException($"Q-Bench JSON not found: {_file}", _file);
        _circular = options.Circular;
        _images = ImageResolver.For(options, Root, "images_llvisionqa", "images", ".");
    }

    public string Name => Path.GetFileNameWithoutExtension(_file);
    public BenchmarkKind Kind => BenchmarkKind.QBench;
    public string Root => Path.GetDirectoryName(_file)!;
    public IReadOnlyList<string> Files => [_file];
    public string Settings => _circular ? "circular=true" : "";

    public IEnumerable<BenchmarkItem> Read()
    {
        var unknown = new UnknownFields(_file, Known);
        foreach (var row in JsonRows.ArrayItems(_file, property: null))
        {
            string index = row.Index.ToString(CultureInfo.InvariantCulture);
            string id = row.Value.ValueKind == JsonValueKind.Object ? JsonRows.OptionalText(row.Value, "id") ?? index : index;
            BenchmarkReject Reject(string? sid, string field, string reason) => new(_file, row.Line, sid, field, reason);
            if (row.Error is not null) { yield return Reject(null, "json", row.Error); continue; }
            var o = row.Value;
            if (o.ValueKind != JsonValueKind.Object) { yield return Reject(id, "json", $"[{row.Index}]: expected a JSON object, got {o.ValueKind}"); continue; }
            foreach (var r in unknown.Check(o, row.Line, id)) yield return r;

            string? image = JsonRows.String(o, "img_path", out var err);
            if (image is null) { yield return Reject(id, "img_path", err!); continue; }
            string? question = JsonRows.String(o, "question", out err);
            if (question is null) { yield return Reject(id, "question", err!); continue; }
            if (!o.TryGetProperty("candidates", out var cands) || cands.ValueKind != JsonValueKind.Array
                || cands.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
            { yield return Reject(id, "candidates", "must be an array of strings"); continue; }
            var options = cands.EnumerateArray().Select(c => c.GetString()!).ToArray();
            if (options.Length is < 2 or > 4) { yield return Reject(id, "candidates", $"must hold 2–4 candidates, got {options.Length}"); continue; }
            string? correct = JsonRows.String(o, "correct_ans", out err);
            if (correct is null) { yield return Reject(id, "correct_ans", err!); continue; }
            int answerIndex = Array.IndexOf(options, correct);
            if (answerIndex < 0) { yield return Reject(id, "correct_ans", $"'{correct}' is not one of the candidates"); continue; }
            string? full = _images.Resolve(image, out err);
            if (full is null) { yield return Reject(id, "img_path", err!); continue; }

            var sample = new BenchmarkSample(id, image.Replace('\\', '/'), question, MultipleChoice.Letter(answerIndex), null,
                Named(o, "type", "question_type", TypeNames), row.Line)
            {
                Kind = BenchmarkKind.QBench, QuestionType = Named(o, "type", "question_type", TypeNames),
                Category = Named(o, "concern", "question_concern", ConcernNames), SourceFile = _file, ResolvedImagePath = full,
            };
            foreach (var round in MultipleChoice.Rounds(sample, options, answerIndex, _circular)) yield return round;
        }
    }

    /// <summary>The name of a small integer code (0 → names[0]); other values as written; null when absent.</summary>
    static string? Named(JsonElement o, string field, string altField, string[] names)
    {
        string? v = JsonRows.OptionalText(o, field) ?? JsonRows.OptionalText(o, altField);
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < names.Length ? names[i] : v;
    }
}
