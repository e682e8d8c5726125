using ScottPlot;
using SkiaSharp;

namespace Vhw.Reports.Figures;

/// <summary>One panel of the grid: the heads of one model on one benchmark (x = mean image fraction, y = mean image concentration).</summary>
public sealed record ScatterPanel(string Model, string Benchmark, double[] X, double[] Y, string Note);

/// <summary>
/// Figure 1 of Bi et al. as a grid: one row per model, one column per benchmark, one point per head (attention
/// weight on image tokens against its concentration). A model keeps its colour in every panel; an empty cell
/// (model not run on that benchmark) stays blank. Panels are rendered by ScottPlot and laid out with SkiaSharp.
/// </summary>
public sealed class WeightConcentrationGridFigure(string title, IReadOnlyList<string> models, IReadOnlyList<string> benchmarks,
    IReadOnlyList<ScatterPanel> panels)
{
    public const int PanelWidth = 400;
    public const int PanelHeight = 320;
    public const int TitleHeight = 40;
    public const int MinWidth = 640;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public int Width => Math.Max(MinWidth, PanelWidth * Math.Max(1, benchmarks.Count));
    public int Height => TitleHeight + PanelHeight * Math.Max(1, models.Count);

    public byte[] RenderPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (var font = new SKFont(SKTypeface.Default, 18))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
            canvas.DrawText(title, 10, 28, font, paint);

        foreach (var panel in panels)
        {
            int row = IndexOf(models, panel.Model), column = IndexOf(benchmarks, panel.Benchmark);
            using var bitmap = SKBitmap.Decode(RenderPanel(panel, row));
            canvas.DrawBitmap(bitmap, column * PanelWidth, TitleHeight + row * PanelHeight);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] RenderPanel(ScatterPanel panel, int colorIndex)
    {
        Plot plot = new();
        var points = plot.Add.ScatterPoints(panel.X, panel.Y, Palette.GetColor(colorIndex));
        points.MarkerSize = 4;
        plot.Title($"{panel.Model} · {panel.Benchmark}", size: 12);
        plot.XLabel("image fraction", size: 11);
        plot.YLabel("image concentration", size: 11);
        if (panel.Note.Length > 0)
        {
            var note = plot.Add.Annotation(panel.Note, Alignment.UpperLeft);
            note.LabelFontSize = 11;
        }
        return plot.GetImageBytes(PanelWidth, PanelHeight, ImageFormat.Png);
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        throw new ArgumentException($"'{value}' is not a row or column of the grid");
    }
}
