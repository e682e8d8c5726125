using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using Vhw.Transform;

namespace Vhw.Reports;

/// <summary>A block of the report; rendered as Markdown and as HTML from the same list.</summary>
public abstract record ReportBlock;
public sealed record HeadingBlock(int Level, string Text) : ReportBlock;
public sealed record ParagraphBlock(string Text) : ReportBlock;
public sealed record TableBlock(QueryResult Table) : ReportBlock;
public sealed record FigureBlock(string Caption, string FileName, byte[] Png) : ReportBlock;

/// <summary>Renders report blocks: Markdown linking the PNG files, or one self-contained HTML page (PNGs as data URIs).</summary>
public static class ReportDocument
{
    public static string ToMarkdown(IEnumerable<ReportBlock> blocks)
    {
        var md = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock h: md.Append('#', h.Level).Append(' ').Append(h.Text).Append("\n\n"); break;
                case ParagraphBlock p: md.Append(p.Text).Append("\n\n"); break;
                case FigureBlock f: md.Append($"![{f.Caption}]({f.FileName})\n\n"); break;
                case TableBlock t:
                    var cols = t.Table.Columns;
                    md.Append("| ").AppendJoin(" | ", cols.Select(c => c.Name)).Append(" |\n");
                    md.Append('|').AppendJoin('|', cols.Select(c => IsNumeric(c) ? "---:" : "---")).Append("|\n");
                    foreach (var row in t.Table.Rows)
                        md.Append("| ").AppendJoin(" | ", row.Select(v => Format(v).Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
                    if (t.Table.Rows.Count == 0) md.Append("\n(no rows)\n");
                    md.Append('\n');
                    break;
            }
        }
        return md.ToString();
    }

    public static string ToHtml(string title, IEnumerable<ReportBlock> blocks)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{E(title)}</title>\n<style>\n")
            .Append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}\n")
            .Append("table{border-collapse:collapse;font-size:0.85em;margin-bottom:1.5em;display:block;overflow-x:auto;max-width:100%}\n")
            .Append("th,td{border:1px solid #ccc;padding:2px 6px;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
            .Append("th{background:#f0f0f0}figure{margin:1em 0}img{max-width:100%}\n</style>\n</head>\n<body>\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock h: html.Append($"<h{h.Level}>{E(h.Text)}</h{h.Level}>\n"); break;
                case ParagraphBlock p: html.Append($"<p>{E(p.Text)}</p>\n"); break;
                case FigureBlock f:
                    html.Append($"<figure><img alt=\"{E(f.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\">")
                        .Append($"<figcaption>{E(f.Caption)}</figcaption></figure>\n");
                    break;
                case TableBlock t:
                    var cols = t.Table.Columns;
                    html.Append("<table>\n<tr>").AppendJoin("", cols.Select(c => $"<th>{E(c.Name)}</th>")).Append("</tr>\n");
                    foreach (var row in t.Table.Rows)
                        html.Append("<tr>").AppendJoin("", row.Select((v, i) => IsNumeric(cols[i]) ? $"<td class=\"n\">{E(Format(v))}</td>" : $"<td>{E(Format(v))}</td>")).Append("</tr>\n");
                    html.Append("</table>\n");
                    if (t.Table.Rows.Count == 0) html.Append("<p>(no rows)</p>\n");
                    break;
            }
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Invariant, fixed formatting: 4 decimals for floating point, ISO timestamps, empty for NULL.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : d.ToString(CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsNumeric(QueryColumn c) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(c.ClrType) ?? c.ClrType) is >= TypeCode.SByte and <= TypeCode.Decimal
        || c.ClrType == typeof(BigInteger);
}
