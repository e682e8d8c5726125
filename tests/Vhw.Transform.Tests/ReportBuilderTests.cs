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
            string[] expectedFigures =
            [
                "heatmap_toy-12l_mmbench_answer-step2.png", "heatmap_toy-12l_pope_answer-step2.png", "heatmap_toy-12l_pope_last-prompt.png",
                "heatmap_toy-32l_mmbench_answer-step2.png", "heatmap_toy-32l_pope_answer-step2.png",
                "heatmap_toy-40l_mmbench_answer-step2.png", "heatmap_toy-40l_pope_answer-step2.png",
                "scatter_mmbench_answer-step2.png", "scatter_pope_answer-step2.png", "scatter_pope_last-prompt.png",
            ];
            Assert.Equal(expectedFigures, result.FigurePaths.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());

            string md = File.ReadAllText(result.MarkdownPath);
            string html = File.ReadAllText(result.HtmlPath);
            foreach (string png in result.FigurePaths)
            {
                var (width, height) = PngSize(File.ReadAllBytes(png));
                Assert.Equal(Path.GetFileName(png).StartsWith("heatmap_", StringComparison.Ordinal)
                    ? (ImageFractionHeatmapFigure.Width, ImageFractionHeatmapFigure.Height)
                    : (WeightConcentrationScatterFigure.Width, WeightConcentrationScatterFigure.Height), (width, height));
                Assert.Contains($"]({Path.GetFileName(png)})", md);
            }
            Assert.Equal(expectedFigures.Length, CountOf(html, "src=\"data:image/png;base64,"));
            Assert.DoesNotContain(".png\"", html); // self-contained: no linked image files
            foreach (string section in new[] { "Top visual heads", "Stage distribution", "Attention weight vs concentration" })
            {
                Assert.Contains($"## {section}", md);
                Assert.Contains($"<h2>{section}</h2>", html);
            }
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
