using SixLabors.ImageSharp;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// MMBench as published: one TSV (header row, then one question per row) with <c>index</c>, <c>question</c>,
/// <c>hint</c>, <c>A</c>–<c>D</c>, <c>answer</c>, <c>category</c>, <c>l2-category</c>, <c>image</c> (base64 PNG/JPEG),
/// and the informational <c>source</c>, <c>comment</c>, <c>split</c>. Options are A, B, … up to the first empty one
/// (LLaVA's get_options); an <c>image</c> cell that is a plain number reuses the image of that earlier index.
/// Rows without an answer (the test split) are rejected: they cannot be scored.
/// </summary>
public sealed class MMBenchSource : IBenchmarkSource
{
    static readonly string[] Required = ["index", "question", "A", "B", "answer", "image"];
    static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "index", "question", "hint", "A", "B", "C", "D", "answer", "category", "l2-category", "image", "source", "comment", "split",
    };

    readonly bool _circular;
    readonly string _file;

    public MMBenchSource(string file, BenchmarkSourceOptions options)
    {
        _file = Path.GetFullPath(file);
        if (!File.Exists(_file)) throw new FileNotFoundException($"MMBench TSV not found: {_file}", _file);
        _circular = options.Circular;
    }

    public string Name => Path.GetFileNameWithoutExtension(_file);
    public BenchmarkKind Kind => BenchmarkKind.MMBench;
    public string Root => Path.GetDirectoryName(_file)!;
    public IReadOnlyList<string> Files => [_file];
    public string Settings => _circular ? "circular=true" : "";

    public IEnumerable<BenchmarkItem> Read()
    {
        using var records = TsvReader.Read(_file).GetEnumerator();
        if (!records.MoveNext()) throw new InvalidDataException($"{_file}: empty file (expected a header row)");
        var header = records.Current.Fields;
        var column = header.Select((name, i) => (name, i)).GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = Required.Where(r => !column.ContainsKey(r)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{_file}: header lacks the column(s) {string.Join(", ", missing)} (header: {string.Join(", ", header)})");
        var unknown = new UnknownFields(_file, Known);
        foreach (var name in header) if (unknown.Report(name, records.Current.Line, null) is { } r) yield return r;

        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            TsvRecord rec;
            TsvFormatException? broken = null;
            try
            {
                if (!records.MoveNext()) break;
                rec = records.Current;
            }
            catch (TsvFormatException e) { broken = e; rec = new TsvRecord(0, []); }
            if (broken is not null)
            {
                yield return new BenchmarkReject(_file, broken.Line, null, "row", $"{broken.Message}; the rest of the file is skipped");
                yield break;
            }
            foreach (var item in Row(rec, header.Count, column, images, seen)) yield return item;
        }
    }

    IEnumerable<BenchmarkItem> Row(TsvRecord rec, int width, Dictionary<string, int> column, Dictionary<string, byte[]> images, Dictionary<string, int> seen)
    {
        BenchmarkReject Reject(string? id, string field, string reason) => new(_file, rec.Line, id, field, reason);
        if (rec.Fields.Count != width) { yield return Reject(null, "row", $"has {rec.Fields.Count} fields, the header has {width}"); yield break; }
        string? Cell(string name) => column.TryGetValue(name, out int i) && !IsNone(rec.Fields[i]) ? rec.Fields[i] : null;

        string? id = Cell("index")?.Trim();
        if (id is null) { yield return Reject(null, "index", "missing"); yield break; }
        if (seen.TryGetValue(id, out int first)) { yield return Reject(id, "index", $"duplicate index (first on line {first})"); yield break; }
        seen[id] = rec.Line;
        string? question = Cell("question");
        if (question is null) { yield return Reject(id, "question", "missing"); yield break; }
        var options = new List<string>();
        foreach (var letter in BenchmarkPromptStyle.OptionLetters)
        {
            if (Cell(letter) is not { } option) break;
            options.Add(option);
        }
        if (options.Count < 2) { yield return Reject(id, "A", $"needs at least options A and B, got {options.Count}"); yield break; }
        string? answer = Cell("answer")?.Trim();
        if (answer is null) { yield return Reject(id, "answer", "missing (rows without an answer, e.g. the test split, cannot be scored)"); yield break; }
        int answerIndex = MultipleChoice.IndexOf(answer);
        if (answerIndex < 0 || answerIndex >= options.Count) { yield return Reject(id, "answer", $"must be one of {string.Join(", ", options.Select((_, i) => MultipleChoice.Letter(i)))}, got '{answer}'"); yield break; }
        string? cell = Cell("image")?.Trim();
        if (cell is null) { yield return Reject(id, "image", "missing"); yield break; }
        if (DecodeImage(cell, images, out var err) is not { } bytes) { yield return Reject(id, "image", err!); yield break; }
        images[id] = bytes;

        var sample = new BenchmarkSample(id, $"{Path.GetFileName(_file)}#{id}", question, MultipleChoice.Letter(answerIndex), null, Cell("category"), rec.Line)
        {
            Kind = BenchmarkKind.MMBench, Hint = Cell("hint"), Category = Cell("category"), QuestionType = Cell("l2-category"),
            SourceFile = _file, ImageBytes = bytes,
        };
        foreach (var round in MultipleChoice.Rounds(sample, options, answerIndex, _circular)) yield return round;
    }

    /// <summary>pandas' missing values: empty, "nan", "none" (LLaVA's is_none).</summary>
    public static bool IsNone(string cell) => cell.Trim() is "" || cell.Trim().Equals("nan", StringComparison.OrdinalIgnoreCase) || cell.Trim().Equals("none", StringComparison.OrdinalIgnoreCase);

    static byte[]? DecodeImage(string cell, Dictionary<string, byte[]> earlier, out string? error)
    {
        error = null;
        if (cell.Length <= 12 && cell.All(char.IsAsciiDigit))
        {
            if (earlier.TryGetValue(cell, out var shared)) return shared;
            error = $"refers to the image of index {cell}, which no earlier row has";
            return null;
        }
        var bytes = new byte[cell.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(cell, bytes, out int n)) { error = $"bad base64 ({cell.Length} characters)"; return null; }
        Array.Resize(ref bytes, n);
        try
        {
            if (Image.Identify(bytes) is { Width: > 0, Height: > 0 }) return bytes;
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidImageContentException) { }
        error = $"base64 decodes to {n} bytes that are not a recognised image";
        return null;
    }
}
