using ScottPlot;

namespace Vhw.Reports.Figures;

/// <summary>One line of an ablation curve: y per k removed (NaN = not run).</summary>
public sealed record AblationLine(string Label, double[] Values);

/// <summary>
/// A measure (accuracy, or the share of predictions that changed) against the number k of heads removed, for one
/// model · benchmark · mode: the top-k visual heads, the mean of the random draws with the band between their 5th and
/// 95th percentile, the k best heads of each stage, and the unablated baseline as a dashed line.
/// </summary>
public sealed class AblationCurvesFigure(
    string title, string yLabel, double[] ks, AblationLine top, AblationLine randomMean, double[] randomLow, double[] randomHigh,
    IReadOnlyList<AblationLine> stages, double baseline)
{
    public const int Width = 880, Height = 440;
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();
    private static readonly int[] StageColors = [0, 2, 4];   // blue, green, purple; random orange, top red

    public byte[] RenderPng()
    {
        Plot plot = new();
        var band = Finite(ks, randomLow, randomHigh);
        if (band.Xs.Length > 1)
        {
            var fill = plot.Add.FillY(band.Xs, band.Ys1, band.Ys2);
            fill.FillColor = Palette.GetColor(1).WithAlpha(0.2);
            fill.LineColor = Colors.Transparent;
            fill.LegendText = "random: 5th–95th percentile";
        }
        Line(plot, randomMean, Palette.GetColor(1), LinePattern.Solid, 2);
        Line(plot, top, Palette.GetColor(3), LinePattern.Solid, 3);
        for (int s = 0; s < stages.Count; s++) Line(plot, stages[s], Palette.GetColor(StageColors[s % StageColors.Length]), LinePattern.DenselyDashed, 1.5f);
        if (double.IsFinite(baseline))
        {
            var line = plot.Add.HorizontalLine(baseline);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "baseline (no head removed)";
        }
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ks.Select(k => new Tick(k, k.ToString(System.Globalization.CultureInfo.InvariantCulture), isMajor: true)).ToArray());
        plot.Title(title);
        plot.XLabel("heads removed (k)");
        plot.YLabel(yLabel);
        plot.Axes.SetLimitsY(-0.05, 1.05);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);

        void Line(Plot p, AblationLine l, Color color, LinePattern pattern, float width)
        {
            var (xs, ys, _) = Finite(ks, l.Values, l.Values);
            if (xs.Length == 0) return;
            var scatter = p.Add.Scatter(xs, ys);
            scatter.Color = color;
            scatter.LineWidth = width;
            scatter.LinePattern = pattern;
            scatter.MarkerSize = 6;
            scatter.LegendText = l.Label;
        }
    }

    private static (double[] Xs, double[] Ys1, double[] Ys2) Finite(double[] xs, double[] a, double[] b)
    {
        var keep = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(a[i]) && double.IsFinite(b[i])).ToArray();
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => a[i]).ToArray(), keep.Select(i => b[i]).ToArray());
    }
}
