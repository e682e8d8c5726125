using System.Globalization;
using System.Text.Json;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>One JSON row of a benchmark file: its 1-based line and either the object or why it could not be parsed.</summary>
public readonly record struct JsonRow(int Index, int Line, JsonElement Value, string? Error);

/// <summary>Reading JSON-lines files and JSON arrays row by row, with line numbers for rejects.</summary>
public static class JsonRows
{
    /// <summary>One row per non-blank line; a line that is not JSON gives a row with <see cref="JsonRow.Error"/>.</summary>
    public static IEnumerable<JsonRow> Lines(string path)
    {
        int lineNo = 0, index = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement value;
            string? error = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                value = doc.RootElement.Clone();
            }
            catch (JsonException e) { value = default; error = $"malformed JSON: {OneLine(e.Message)}"; }
            yield return new JsonRow(index++, lineNo, value, error);
        }
    }

    /// <summary>
    /// The elements of a JSON array: the whole file (<paramref name="property"/> null) or a top-level property of the
    /// root object. A syntax error ends the list with one error row at its line (earlier rows are kept).
    /// </summary>
    public static List<JsonRow> ArrayItems(string path, string? property)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var newlines = new List<long>();
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') newlines.Add(i);
        int LineOf(long offset) { int k = newlines.BinarySearch(offset); return (k < 0 ? ~k : k) + 1; }

        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0; // UTF-8 BOM
        var rows = new List<JsonRow>();
        var reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read()) throw new InvalidDataException($"{path}: empty file");
            if (property is not null)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException($"{path}: expected a JSON object with \"{property}\"");
                bool found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool match = reader.ValueTextEquals(property);
                    reader.Read();
                    if (match) { found = true; break; }
                    reader.Skip();
                }
                if (!found) throw new InvalidDataException($"{path}: no \"{property}\" array at the top level");
            }
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new InvalidDataException($"{path}: expected a JSON array{(property is null ? "" : $" in \"{property}\"")}, got {reader.TokenType}");
            int index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int line = LineOf(reader.TokenStartIndex + start);
                using var doc = JsonDocument.ParseValue(ref reader);
                rows.Add(new JsonRow(index++, line, doc.RootElement.Clone(), null));
            }
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0) + 1;
            rows.Add(new JsonRow(rows.Count, line, default, $"malformed JSON: {OneLine(e.Message)}; the rest of the file is skipped"));
        }
        return rows;
    }

    /// <summary>A required non-empty string; null with the reason otherwise.</summary>
    public static string? String(JsonElement o, string field, out string? error)
    {
        error = null;
        if (!o.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) { error = "missing"; return null; }
        if (v.ValueKind != JsonValueKind.String) { error = $"must be a string, got {v.ValueKind}"; return null; }
        string s = v.GetString()!;
        if (string.IsNullOrWhiteSpace(s)) { error = "must not be empty"; return null; }
        return s;
    }

    /// <summary>A required id or count: a non-empty string or an integer, as text.</summary>
    public static string? StringOrInteger(JsonElement o, string field, out string? error)
    {
        error = null;
        if (o.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt64(out long n)) return n.ToString(CultureInfo.InvariantCulture);
            error = $"must be a string or an integer, got {v.GetRawText()}";
            return null;
        }
        return String(o, field, out error);
    }

    /// <summary>An optional string or integer; null when absent or null.</summary>
    public static string? OptionalText(JsonElement o, string field) =>
        !o.TryGetProperty(field, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };

    public static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
