using System.Globalization;
using System.Text.RegularExpressions;
using Vhw.Reports.Figures;
using Vhw.Transform;

namespace Vhw.Reports;

/// <summary>Files one <see cref="ReportBuilder.Build"/> wrote.</summary>
public sealed record ReportResult(string MarkdownPath, string HtmlPath, IReadOnlyList<string> FigurePaths);

/// <summary>
/// Builds report.md and a self-contained report.html from warehouse.duckdb. Reads only the marts (head_scores)
/// and the queries of queries/; it computes no statistic. File names are fixed (report.md, report.html,
/// heatmap_&lt;model&gt;_&lt;benchmark&gt;_&lt;query_kind&gt;.png, scatter_&lt;benchmark&gt;_&lt;query_kind&gt;.png) and the
/// content depends only on the marts, so a rebuild over the same warehouse gives the same files.
/// </summary>
public static partial class ReportBuilder
{
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";
    private const string Title = "Visual heads report";

    public static ReportResult Build(string warehouseRoot, string outDir, string? databasePath = null, CancellationToken ct = default)
    {
        using var q = new QueryRunner(warehouseRoot, databasePath);
        string dir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(dir);
        foreach (string stale in Directory.EnumerateFiles(dir, "heatmap_*.png").Concat(Directory.EnumerateFiles(dir, "scatter_*.png")))
            File.Delete(stale);

        var blocks = new List<ReportBlock>
        {
            new HeadingBlock(1, Title),
            new ParagraphBlock("Attention heads of LLaVA-style models that look at the image (Bi et al., CVPR 2025, arXiv 2412.18108). " +
                "Every number below is read from the marts of warehouse.duckdb (head_scores, model_correlations, model_accuracy); " +
                "each mart uses the latest run per model × benchmark × query kind."),
            new HeadingBlock(2, "Top visual heads"),
            new ParagraphBlock("rank 1 = highest mean attention mass on image tokens (mean_image_fraction). lift = mass ÷ (image tokens / keys), " +
                "1 = no preference over even attention. detection_score = share of samples in which the head is among the sample's top N heads " +
                "by image fraction, N = greatest(1, round(5 % of the model's heads)). Stages follow the authors' tables for 32 and 40 layers."),
            new TableBlock(q.RunNamed("top_visual_heads", ct)),
            new HeadingBlock(2, "Stage distribution"),
            new ParagraphBlock("Share of each model's top N heads (rank ≤ N) per stage, pooled over benchmarks; stage_head_share is what an even spread would give."),
            new TableBlock(q.RunNamed("stage_distribution", ct)),
            new HeadingBlock(2, "Attention weight vs concentration"),
            new ParagraphBlock("Across the heads of a model: Pearson and Spearman correlation of mean image fraction and mean image concentration, with the benchmark accuracy."),
            new TableBlock(q.RunNamed("weight_vs_concentration", ct)),
        };

        blocks.Add(new HeadingBlock(2, "Mean image fraction per layer and head"));
        blocks.AddRange(Heatmaps(q, ct));
        blocks.Add(new HeadingBlock(2, "Mean image fraction vs mean image concentration, one point per head"));
        blocks.AddRange(Scatters(q, ct));

        var figures = blocks.OfType<FigureBlock>().ToList();
        foreach (var f in figures) File.WriteAllBytes(Path.Combine(dir, f.FileName), f.Png);
        string md = Path.Combine(dir, MarkdownFileName), html = Path.Combine(dir, HtmlFileName);
        File.WriteAllText(md, ReportDocument.ToMarkdown(blocks));
        File.WriteAllText(html, ReportDocument.ToHtml(Title, blocks));
        return new ReportResult(md, html, figures.Select(f => Path.Combine(dir, f.FileName)).ToList());
    }

    private static IEnumerable<ReportBlock> Heatmaps(QueryRunner q, CancellationToken ct)
    {
        var r = q.Run("""
            select model, benchmark, query_kind, n_layers, n_heads, layer, head, mean_image_fraction
            from head_scores
            order by model, benchmark, query_kind, layer, head
            """, ct);
        foreach (var g in r.Rows.GroupBy(row => (Model: (string)row[0]!, Benchmark: (string)row[1]!, QueryKind: (string)row[2]!)))
        {
            ct.ThrowIfCancellationRequested();
            var first = g.First();
            var values = new double[Int(first[3]), Int(first[4])];
            for (int l = 0; l < values.GetLength(0); l++)
                for (int h = 0; h < values.GetLength(1); h++) values[l, h] = double.NaN;
            foreach (var row in g)
                if (Int(row[5]) < values.GetLength(0) && Int(row[6]) < values.GetLength(1))
                    values[Int(row[5]), Int(row[6])] = row[7] is null ? double.NaN : Convert.ToDouble(row[7], CultureInfo.InvariantCulture);
            string caption = $"{g.Key.Model} · {g.Key.Benchmark} · {g.Key.QueryKind}";
            yield return new HeadingBlock(3, caption);
            yield return new FigureBlock($"mean image fraction, {caption}",
                $"heatmap_{Slug(g.Key.Model)}_{Slug(g.Key.Benchmark)}_{Slug(g.Key.QueryKind)}.png",
                new ImageFractionHeatmapFigure(caption, values).RenderPng());
        }
    }

    private static IEnumerable<ReportBlock> Scatters(QueryRunner q, CancellationToken ct)
    {
        var r = q.Run("""
            select benchmark, query_kind, model, mean_image_fraction, mean_image_concentration
            from head_scores
            where mean_image_fraction is not null and mean_image_concentration is not null
            order by benchmark, query_kind, model, layer, head
            """, ct);
        var colorOf = r.Rows.Select(row => (string)row[2]!).Distinct().Order(StringComparer.Ordinal)
            .Select((model, i) => (model, i)).ToDictionary(x => x.model, x => x.i);
        foreach (var g in r.Rows.GroupBy(row => (Benchmark: (string)row[0]!, QueryKind: (string)row[1]!)))
        {
            ct.ThrowIfCancellationRequested();
            var series = g.GroupBy(row => (string)row[2]!).Select(m => new ScatterSeries(m.Key,
                m.Select(row => Convert.ToDouble(row[3], CultureInfo.InvariantCulture)).ToArray(),
                m.Select(row => Convert.ToDouble(row[4], CultureInfo.InvariantCulture)).ToArray(), colorOf[m.Key])).ToList();
            string caption = $"{g.Key.Benchmark} · {g.Key.QueryKind}";
            yield return new HeadingBlock(3, caption);
            yield return new FigureBlock($"mean image fraction vs concentration per head, {caption}",
                $"scatter_{Slug(g.Key.Benchmark)}_{Slug(g.Key.QueryKind)}.png",
                new WeightConcentrationScatterFigure(caption, series).RenderPng());
        }
    }

    private static int Int(object? v) => Convert.ToInt32(v, CultureInfo.InvariantCulture);

    /// <summary>A file-name part: letters, digits, '.' and '-' kept, anything else (also '_', the separator) becomes '-'.</summary>
    public static string Slug(string s) => UnsafeChars().Replace(s, "-");

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex UnsafeChars();
}
