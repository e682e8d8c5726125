using ScottPlot;

namespace Vhw.Reports.Figures;

/// <summary>
/// Layer × head heatmap of head_scores.mean_image_fraction for one model × benchmark × query_kind
/// (layer 0 at the bottom, heads along x; NaN cells = no head_scores row). Colour bar in data units.
/// </summary>
/// <param name="title">Plot title.</param>
/// <param name="meanImageFraction">[layer, head] values, NaN where missing.</param>
public sealed class ImageFractionHeatmapFigure(string title, double[,] meanImageFraction)
{
    public const int Width = 800;
    public const int Height = 600;

    public byte[] RenderPng()
    {
        Plot plot = new();
        var heatmap = plot.Add.Heatmap(meanImageFraction);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.FlipVertically = true; // row 0 = layer 0 at the bottom
        heatmap.NaNCellColor = Colors.Transparent;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "mean image fraction";
        plot.Title(title);
        plot.XLabel("head");
        plot.YLabel("layer");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Margins(0, 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
