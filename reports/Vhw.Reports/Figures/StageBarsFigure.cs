using ScottPlot;

namespace Vhw.Reports.Figures;

/// <summary>One group of bars: a label (may hold a line break) and the top-head share of each stage (early, middle, late), with the even-spread share.</summary>
public sealed record StageBarGroup(string Label, double[] TopHeadShares, double[] HeadShares);

/// <summary>
/// Where the top visual heads sit: for each group (model · benchmark), one bar per stage with the stage's share of
/// the top heads (stage_distribution.stage_top_head_share) and a black tick at the stage's share of all heads
/// (stage_head_share, what an even spread would give).
/// </summary>
public sealed class StageBarsFigure(string title, IReadOnlyList<string> stages, IReadOnlyList<StageBarGroup> groups)
{
    public const int Height = 480;
    public int Width => Math.Max(640, 120 + 110 * groups.Count);

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public byte[] RenderPng()
    {
        Plot plot = new();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double slot = stages.Count + 1;
        for (int g = 0; g < groups.Count; g++)
        {
            for (int s = 0; s < stages.Count; s++)
            {
                double x = g * slot + s;
                bars.Add(new Bar { Position = x, Value = Finite(groups[g].TopHeadShares[s]), FillColor = Palette.GetColor(s), Size = 0.9 });
                var even = plot.Add.Line(x - 0.45, Finite(groups[g].HeadShares[s]), x + 0.45, Finite(groups[g].HeadShares[s]));
                even.Color = Colors.Black;
                even.LineWidth = 2;
            }
            ticks.Add(new Tick(g * slot + (stages.Count - 1) / 2.0, groups[g].Label, isMajor: true));
        }
        plot.Add.Bars(bars);
        for (int s = 0; s < stages.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = stages[s], FillColor = Palette.GetColor(s) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "even spread", LineColor = Colors.Black, LineWidth = 2 });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title(title);
        plot.YLabel("share of top visual heads");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
