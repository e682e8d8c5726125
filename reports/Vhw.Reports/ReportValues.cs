using System.Globalization;
using System.Text.RegularExpressions;
using Vhw.Transform;

namespace Vhw.Reports;

/// <summary>Small helpers for reading mart rows and naming figure files.</summary>
public static partial class ReportValues
{
    public static string Str(QueryResult r, object?[] row, string column) => Convert.ToString(row[r.IndexOf(column)], CultureInfo.InvariantCulture) ?? "";

    public static int Int(QueryResult r, object?[] row, string column) => Convert.ToInt32(row[r.IndexOf(column)], CultureInfo.InvariantCulture);

    /// <summary>The value as a double; NaN for NULL.</summary>
    public static double Dbl(QueryResult r, object?[] row, string column) =>
        row[r.IndexOf(column)] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN;

    /// <summary>A file-name part: letters, digits, '.' and '-' kept, anything else (also '_', the separator) becomes '-'.</summary>
    public static string Slug(string s) => UnsafeChars().Replace(s, "-");

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex UnsafeChars();
}
