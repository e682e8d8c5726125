using ScottPlot;

namespace Vhw.Reports.Figures;

/// <summary>
/// Layer × head heatmap of one per-head value (e.g. head_scores.mean_image_fraction) for one model × benchmark ×
/// query_kind: layer 0 at the bottom, heads along x, NaN cells (no value) transparent, colour bar in data units.
/// </summary>
/// <param name="title">Plot title.</param>
/// <param name="values">[layer, head] values, NaN where missing.</param>
/// <param name="valueLabel">Colour bar label, e.g. "mean image fraction".</param>
public sealed class HeadHeatmapFigure(string title, double[,] values, string valueLabel)
{
    public const int Width = 640;
    public const int Height = 480;

    public byte[] RenderPng()
    {
        Plot plot = new();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.FlipVertically = true; // row 0 = layer 0 at the bottom
        heatmap.NaNCellColor = Colors.Transparent;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = valueLabel;
        plot.Title(title);
        plot.XLabel("head");
        plot.YLabel("layer");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Margins(0, 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
