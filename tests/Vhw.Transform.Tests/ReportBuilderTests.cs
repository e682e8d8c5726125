using System.Buffers.Binary;
using Vhw.Reports;
using Vhw.Reports.Figures;

namespace Vhw.Transform.Tests;

public sealed class ReportBuilderTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Writes_markdown_html_and_png_figures_of_the_expected_size()
    {
        string outDir = TempFolder.Create("report");
        try
        {
            var result = ReportBuilder.Build(w.Root, outDir, ct: Ct);

            Assert.Equal(Path.Combine(outDir, "report.md"), result.MarkdownPath);
            Assert.Equal(Path.Combine(outDir, "report.html"), result.HtmlPath);
            string[] combos =
            [
                "toy-12l_mmbench_answer-step2", "toy-12l_pope_answer-step2", "toy-12l_pope_last-prompt", "toy-32l_mmbench_answer-step2",
                "toy-32l_pope_answer-step2", "toy-40l_mmbench_answer-step2", "toy-40l_pope_answer-step2",
            ];
            var expectedFigures = combos.Select(c => $"heatmap_{c}.png").Concat(combos.Select(c => $"heatmap-region_{c}.png"))
                .Concat(["figure1_answer-step2.png", "figure1_last-prompt.png", "stages_answer-step2.png", "stages_last-prompt.png"])
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expectedFigures, result.FigurePaths.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());

            string md = File.ReadAllText(result.MarkdownPath);
            string html = File.ReadAllText(result.HtmlPath);
            var expectedSizes = new Dictionary<string, (int, int)>
            {
                ["figure1_answer-step2.png"] = (Math.Max(WeightConcentrationGridFigure.MinWidth, 2 * WeightConcentrationGridFigure.PanelWidth),
                    WeightConcentrationGridFigure.TitleHeight + 3 * WeightConcentrationGridFigure.PanelHeight),
                ["figure1_last-prompt.png"] = (WeightConcentrationGridFigure.MinWidth, WeightConcentrationGridFigure.TitleHeight + WeightConcentrationGridFigure.PanelHeight),
                ["stages_answer-step2.png"] = (120 + 110 * 6, StageBarsFigure.Height),
                ["stages_last-prompt.png"] = (640, StageBarsFigure.Height),
            };
            foreach (string png in result.FigurePaths)
            {
                string name = Path.GetFileName(png);
                var expectedSize = expectedSizes.GetValueOrDefault(name, (HeadHeatmapFigure.Width, HeadHeatmapFigure.Height));
                Assert.Equal(expectedSize, PngSize(File.ReadAllBytes(png)));
                Assert.Contains($"]({name})", md);
            }
            Assert.Equal(expectedFigures.Length, CountOf(html, "src=\"data:image/png;base64,"));
            Assert.DoesNotContain(".png\"", html); // self-contained: no linked image files
            foreach (string section in new[] { "Top visual heads", "Attention on the image per layer and head", "Attention weight vs concentration",
                         "Stage distribution", "Concentration vs accuracy", "Rank stability", "Head activation dynamics" })
            {
                Assert.Contains($"## {section}", md);
                Assert.Contains($"<h2>{section}</h2>", html);
            }
            Assert.Contains("| model | benchmark | query_kind | n_heads | n_samples | pearson | pearson_ci_low | pearson_ci_high |", md);
            Assert.Contains("| comparison | family | query_kind | model_a | benchmark_a | model_b | benchmark_b |", md);
            Assert.Contains("| model | benchmark | query_kind | rank | layer | head | stage |", md);
        }
        finally
        {
            TempFolder.Delete(outDir);
        }
    }

    [Fact]
    public void Rebuilding_over_the_same_warehouse_gives_the_same_files()
    {
        string a = TempFolder.Create("report-a"), b = TempFolder.Create("report-b");
        try
        {
            var first = ReportBuilder.Build(w.Root, a, ct: Ct);
            var second = ReportBuilder.Build(w.Root, b, ct: Ct);
            Assert.Equal(File.ReadAllText(first.MarkdownPath), File.ReadAllText(second.MarkdownPath));
            Assert.Equal(File.ReadAllText(first.HtmlPath), File.ReadAllText(second.HtmlPath));
        }
        finally
        {
            TempFolder.Delete(a);
            TempFolder.Delete(b);
        }
    }

    [Fact]
    public void Sections_are_discovered_in_order_and_a_new_section_is_one_class()
    {
        string[] analytics = ["IntroSection", "TopVisualHeadsSection", "HeadHeatmapsSection", "WeightConcentrationSection", "StageDistributionSection",
            "ConcentrationVsAccuracySection", "RankStabilitySection", "HeadDynamicsSection"];
        var names = ReportSections.Discovered.Select(s => s.GetType().Name).ToArray();
        Assert.Equal(analytics, names.Where(analytics.Contains)); // in this order, other sections may sit in between

        string outDir = TempFolder.Create("report-extra");
        try
        {
            var result = ReportBuilder.Build(w.Root, outDir, [new ExtraSection(), .. ReportSections.Discovered.Take(1)], ct: Ct);
            string md = File.ReadAllText(result.MarkdownPath);
            Assert.Contains("## Extra", md);
            Assert.Contains("| n |", md);
            Assert.Empty(result.FigurePaths);
        }
        finally
        {
            TempFolder.Delete(outDir);
        }
    }

    [Fact]
    public void A_rebuild_removes_the_figures_the_previous_report_linked_and_nothing_else()
    {
        string outDir = TempFolder.Create("report-stale");
        try
        {
            File.WriteAllText(Path.Combine(outDir, "report.md"), "![old](heatmap_gone_model.png)\n");
            File.WriteAllBytes(Path.Combine(outDir, "heatmap_gone_model.png"), [1]);
            File.WriteAllBytes(Path.Combine(outDir, "mine.png"), [2]);
            ReportBuilder.Build(w.Root, outDir, ReportSections.Discovered.Take(2), ct: Ct);
            Assert.False(File.Exists(Path.Combine(outDir, "heatmap_gone_model.png")));
            Assert.True(File.Exists(Path.Combine(outDir, "mine.png")));
        }
        finally
        {
            TempFolder.Delete(outDir);
        }
    }

    public sealed class ExtraSection : IReportSection
    {
        public int Order => 99;

        public IEnumerable<ReportBlock> Build(ReportContext context) =>
            [new HeadingBlock(2, "Extra"), new TableBlock(context.Query.Run("select count(*) as n from head_scores", context.Ct))];
    }

    // A PNG: the 8-byte signature, an IHDR chunk (width, height big-endian), and it decodes to a bitmap of that size.
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 24, "PNG too short");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        var header = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(header, (bitmap.Width, bitmap.Height));
        return header;
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
