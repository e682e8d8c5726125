using Vhw.Reports.Figures;
using Vhw.Transform;
using static Vhw.Reports.ReportValues;

namespace Vhw.Reports.Sections;

/// <summary>Per model × benchmark × query kind, layer × head heatmaps of head_scores.mean_image_fraction and mean_region_fraction.</summary>
public sealed class HeadHeatmapsSection : IReportSection
{
    public int Order => 20;

    public IEnumerable<ReportBlock> Build(ReportContext context)
    {
        var r = context.Query.Run("""
            select model, benchmark, query_kind, n_layers, n_heads, layer, head, mean_image_fraction, mean_region_fraction
            from head_scores
            order by model, benchmark, query_kind, layer, head
            """, context.Ct);
        yield return new HeadingBlock(2, "Attention on the image per layer and head");
        yield return new ParagraphBlock("Mean attention mass on image tokens (image fraction) and on the tokens under the question's box " +
            "(region fraction; samples with a box only) per layer (0 at the bottom) and head; blank cells have no value.");
        foreach (var g in r.Rows.GroupBy(row => (Model: Str(r, row, "model"), Benchmark: Str(r, row, "benchmark"), QueryKind: Str(r, row, "query_kind"))))
        {
            context.Ct.ThrowIfCancellationRequested();
            var rows = g.ToList();
            string caption = $"{g.Key.Model} · {g.Key.Benchmark} · {g.Key.QueryKind}";
            string slug = $"{Slug(g.Key.Model)}_{Slug(g.Key.Benchmark)}_{Slug(g.Key.QueryKind)}";
            yield return new HeadingBlock(3, caption);
            yield return new FigureBlock($"mean image fraction, {caption}", $"heatmap_{slug}.png",
                new HeadHeatmapFigure(caption, Grid(r, rows, "mean_image_fraction"), "mean image fraction").RenderPng());
            var region = Grid(r, rows, "mean_region_fraction");
            if (region.Cast<double>().Any(double.IsFinite))
                yield return new FigureBlock($"mean region fraction, {caption}", $"heatmap-region_{slug}.png",
                    new HeadHeatmapFigure(caption, region, "mean region fraction").RenderPng());
        }
    }

    private static double[,] Grid(QueryResult r, List<object?[]> rows, string column)
    {
        var values = new double[Int(r, rows[0], "n_layers"), Int(r, rows[0], "n_heads")];
        for (int l = 0; l < values.GetLength(0); l++)
            for (int h = 0; h < values.GetLength(1); h++) values[l, h] = double.NaN;
        foreach (var row in rows)
        {
            int layer = Int(r, row, "layer"), head = Int(r, row, "head");
            if (layer < values.GetLength(0) && head < values.GetLength(1)) values[layer, head] = Dbl(r, row, column);
        }
        return values;
    }
}
