using System.Text.Json;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// SEED-Bench as published: one JSON object <c>{"questions": [...], "question_type": {"Scene Understanding": 1, ...}}</c>;
/// each question has <c>question_id</c>, <c>question</c>, <c>choice_a</c>–<c>choice_d</c>, <c>answer</c> (A–D),
/// <c>data_id</c> (image file name), <c>data_type</c> and <c>question_type_id</c>. Image tasks only: rows with
/// data_type "video" are skipped (not rejected). Images: --image-root folders, then SEED-Bench-image/, images/, the folder.
/// </summary>
public sealed class SeedBenchSource : IBenchmarkSource
{
    static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "question_id", "question", "choice_a", "choice_b", "choice_c", "choice_d", "answer", "data_id", "data_type",
        "question_type_id", "segment", "data_source", "level", "subpart", "version",
    };
    static readonly string[] Choices = ["choice_a", "choice_b", "choice_c", "choice_d"];

    readonly string _file;
    readonly bool _circular;
    readonly ImageResolver _images;

    public SeedBenchSource(string file, BenchmarkSourceOptions options)
    {
        _file = Path.GetFullPath(file);
        if (!File.Exists(_file)) throw new FileNotFoundException($"SEED-Bench JSON not found: {_file}", _file);
        _circular = options.Circular;
        _images = ImageResolver.For(options, Root, "SEED-Bench-image", "images", ".");
    }

    public string Name => Path.GetFileNameWithoutExtension(_file);
    public BenchmarkKind Kind => BenchmarkKind.SeedBench;
    public string Root => Path.GetDirectoryName(_file)!;
    public IReadOnlyList<string> Files => [_file];
    public string Settings => _circular ? "circular=true" : "";

    public IEnumerable<BenchmarkItem> Read()
    {
        var types = QuestionTypeNames();
        var unknown = new UnknownFields(_file, Known);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in JsonRows.ArrayItems(_file, "questions"))
        {
            BenchmarkReject Reject(string? id, string field, string reason) => new(_file, row.Line, id, field, reason);
            if (row.Error is not null) { yield return Reject(null, "json", row.Error); continue; }
            var o = row.Value;
            if (o.ValueKind != JsonValueKind.Object) { yield return Reject(null, "json", $"questions[{row.Index}]: expected a JSON object, got {o.ValueKind}"); continue; }
            if (JsonRows.OptionalText(o, "data_type") is { } dataType && !dataType.Equals("image", StringComparison.OrdinalIgnoreCase)) continue;

            string? id = JsonRows.StringOrInteger(o, "question_id", out var err);
            if (id is null) { yield return Reject(null, "question_id", $"questions[{row.Index}]: {err}"); continue; }
            foreach (var r in unknown.Check(o, row.Line, id)) yield return r;
            if (seen.TryGetValue(id, out int first)) { yield return Reject(id, "question_id", $"duplicate question_id (first is questions[{first}])"); continue; }
            seen[id] = row.Index;

            string? question = JsonRows.String(o, "question", out err);
            if (question is null) { yield return Reject(id, "question", err!); continue; }
            var options = new string[Choices.Length];
            string? bad = null;
            for (int i = 0; i < Choices.Length && bad is null; i++)
                if (JsonRows.StringOrInteger(o, Choices[i], out err) is { } c) options[i] = c; else bad = Choices[i];
            if (bad is not null) { yield return Reject(id, bad, err!); continue; }
            string? answer = JsonRows.String(o, "answer", out err);
            if (answer is null) { yield return Reject(id, "answer", err!); continue; }
            int answerIndex = MultipleChoice.IndexOf(answer);
            if (answerIndex < 0) { yield return Reject(id, "answer", $"must be A, B, C or D, got '{answer}'"); continue; }
            string? image = JsonRows.String(o, "data_id", out err);
            if (image is null) { yield return Reject(id, "data_id", err!); continue; }
            string? full = _images.Resolve(image, out err);
            if (full is null) { yield return Reject(id, "data_id", err!); continue; }

            string? typeId = JsonRows.OptionalText(o, "question_type_id");
            string? category = typeId is null ? null : types.GetValueOrDefault(typeId, typeId);
            var sample = new BenchmarkSample(id, image.Replace('\\', '/'), question, MultipleChoice.Letter(answerIndex), null, category, row.Line)
            {
                Kind = BenchmarkKind.SeedBench, Category = category, SourceFile = _file, ResolvedImagePath = full,
            };
            foreach (var round in MultipleChoice.Rounds(sample, options, answerIndex, _circular)) yield return round;
        }
    }

    /// <summary>question_type_id (as text) → name, from the top-level "question_type" map; empty when absent or unreadable.</summary>
    Dictionary<string, string> QuestionTypeNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(_file);
            using var doc = JsonDocument.Parse(stream);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("question_type", out var map) && map.ValueKind == JsonValueKind.Object)
                foreach (var p in map.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number) names[p.Value.GetRawText()] = p.Name;
        }
        catch (JsonException) { } // the questions pass reports the syntax error with its line
        return names;
    }
}
