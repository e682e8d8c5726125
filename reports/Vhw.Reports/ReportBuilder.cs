using System.Text.RegularExpressions;
using Vhw.Transform;

namespace Vhw.Reports;

/// <summary>Files one <see cref="ReportBuilder.Build"/> wrote.</summary>
public sealed record ReportResult(string MarkdownPath, string HtmlPath, IReadOnlyList<string> FigurePaths);

/// <summary>
/// Builds report.md and a self-contained report.html from warehouse.duckdb: the title, then every
/// <see cref="IReportSection"/> of this assembly in order (Sections/, one class per section). Sections read only the
/// marts and the queries of queries/; none computes a statistic. File names are fixed (report.md, report.html and
/// the sections' PNG names) and the content depends only on the marts, so a rebuild over the same warehouse gives
/// the same files. Figures the previous report.md linked are removed first, so no stale figure lingers.
/// </summary>
public static partial class ReportBuilder
{
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";
    public const string Title = "Visual heads report";

    public static ReportResult Build(string warehouseRoot, string outDir, string? databasePath = null, CancellationToken ct = default) =>
        Build(warehouseRoot, outDir, ReportSections.Discovered, databasePath, ct);

    public static ReportResult Build(string warehouseRoot, string outDir, IEnumerable<IReportSection> sections,
        string? databasePath = null, CancellationToken ct = default)
    {
        using var q = new QueryRunner(warehouseRoot, databasePath);
        string dir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(dir);
        RemovePreviousFigures(dir);

        var context = new ReportContext(q, ct);
        var blocks = new List<ReportBlock> { new HeadingBlock(1, Title) };
        foreach (var section in sections)
        {
            ct.ThrowIfCancellationRequested();
            blocks.AddRange(section.Build(context));
        }

        var figures = blocks.OfType<FigureBlock>().ToList();
        var duplicate = figures.GroupBy(f => f.FileName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two figures are named {duplicate.Key}");
        foreach (var f in figures) File.WriteAllBytes(Path.Combine(dir, f.FileName), f.Png);
        string md = Path.Combine(dir, MarkdownFileName), html = Path.Combine(dir, HtmlFileName);
        File.WriteAllText(md, ReportDocument.ToMarkdown(blocks));
        File.WriteAllText(html, ReportDocument.ToHtml(Title, blocks));
        return new ReportResult(md, html, figures.Select(f => Path.Combine(dir, f.FileName)).ToList());
    }

    /// <summary>A file-name part: letters, digits, '.' and '-' kept, anything else becomes '-'.</summary>
    public static string Slug(string s) => ReportValues.Slug(s);

    private static void RemovePreviousFigures(string dir)
    {
        string previous = Path.Combine(dir, MarkdownFileName);
        if (!File.Exists(previous)) return;
        foreach (Match link in FigureLink().Matches(File.ReadAllText(previous)))
        {
            string path = Path.Combine(dir, link.Groups[1].Value);
            if (File.Exists(path)) File.Delete(path);
        }
    }

    // ![caption](file.png) with a plain file name (no folder), as ReportDocument writes figures
    [GeneratedRegex(@"\]\(([A-Za-z0-9._-]+\.png)\)")]
    private static partial Regex FigureLink();
}
