using System.Text;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>One record of a tab-separated file: the 1-based line it starts on and its fields.</summary>
public sealed record TsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Reads tab-separated values as pandas' <c>to_csv(sep="\t")</c> writes them (MMBench's TSVs): fields in double quotes
/// may hold tabs, newlines and doubled quotes ("" → "). Records are returned with the line they start on; blank
/// lines are skipped. An unterminated quote ends the file with a <see cref="TsvFormatException"/> naming its line.
/// </summary>
public static class TsvReader
{
    public static IEnumerable<TsvRecord> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        foreach (var r in Read(reader, path)) yield return r;
    }

    public static IEnumerable<TsvRecord> Read(TextReader reader, string name)
    {
        int line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false, any = false;
        int recordLine = 1, quoteLine = 0;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when !fieldStarted:
                    quoted = true; fieldStarted = true; any = true; quoteLine = line;
                    break;
                case '\t':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false; any = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    if (any || field.Length > 0) { fields.Add(field.ToString()); yield return new TsvRecord(recordLine, fields.ToArray()); }
                    fields.Clear(); field.Clear(); fieldStarted = false; any = false;
                    line++; recordLine = line;
                    break;
                default:
                    field.Append(ch); fieldStarted = true; any = true;
                    break;
            }
        }
        if (quoted) throw new TsvFormatException(quoteLine, $"{name}: line {quoteLine}: a quoted field is never closed");
        if (any || field.Length > 0) { fields.Add(field.ToString()); yield return new TsvRecord(recordLine, fields.ToArray()); }
    }
}

/// <summary>The file cannot be split into records from <see cref="Line"/> on.</summary>
public sealed class TsvFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}
