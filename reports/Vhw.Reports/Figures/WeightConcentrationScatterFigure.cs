using ScottPlot;

namespace Vhw.Reports.Figures;

/// <summary>One model's heads: x = mean_image_fraction, y = mean_image_concentration; ColorIndex picks the palette colour.</summary>
public sealed record ScatterSeries(string Label, double[] X, double[] Y, int ColorIndex);

/// <summary>
/// Figure 1 of Bi et al.: one point per head, attention weight on image tokens against its concentration,
/// one colour per model (the same model keeps its colour in every figure of a report).
/// </summary>
public sealed class WeightConcentrationScatterFigure(string title, IReadOnlyList<ScatterSeries> series)
{
    public const int Width = 800;
    public const int Height = 600;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public byte[] RenderPng()
    {
        Plot plot = new();
        foreach (var s in series)
        {
            var points = plot.Add.ScatterPoints(s.X, s.Y, Palette.GetColor(s.ColorIndex));
            points.MarkerSize = 5;
            points.LegendText = s.Label;
        }
        plot.Title(title);
        plot.XLabel("mean image fraction (attention weight on image tokens)");
        plot.YLabel("mean image concentration");
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
