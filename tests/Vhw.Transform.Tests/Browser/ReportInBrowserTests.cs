using SkiaSharp;
using Vhw.Reports;

namespace Vhw.Transform.Tests.Browser;

/// <summary>The HTML report in headless Chromium (Debian package `chromium`); skipped, saying so, only when no browser binary exists.</summary>
public sealed class ReportInBrowserTests(WarehouseFixture w)
{
    private const string Install = "apt-get install -y chromium";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_report_loads_without_console_errors_every_image_decodes_and_the_screenshot_is_not_blank()
    {
        string? chromium = HeadlessChromium.FindBinary();
        Assert.SkipWhen(chromium is null, $"no chromium binary on PATH (or $VHW_CHROMIUM): {Install}");
        string outDir = TempFolder.Create("report-browser");
        try
        {
            var report = ReportBuilder.Build(w.Root, outDir, ct: Ct);
            var page = await HeadlessChromium.CheckAsync(chromium!, report.HtmlPath, Ct);

            Assert.Empty(page.ConsoleErrors);
            Assert.Equal(report.FigurePaths.Count, page.Images);
            Assert.Empty(page.BrokenImages);
            var (differing, colours) = Ink(page.Screenshot);
            Assert.True(differing > 0.005 && colours >= 3, $"screenshot looks blank: {differing:P2} of pixels differ from the background, {colours} colours");
        }
        finally
        {
            TempFolder.Delete(outDir);
        }
    }

    [Fact]
    public async Task The_check_catches_console_errors_broken_images_and_blank_pages()
    {
        string? chromium = HeadlessChromium.FindBinary();
        Assert.SkipWhen(chromium is null, $"no chromium binary on PATH (or $VHW_CHROMIUM): {Install}");
        string dir = TempFolder.Create("browser-control");
        try
        {
            string broken = Path.Combine(dir, "broken.html");
            File.WriteAllText(broken, """
                <!DOCTYPE html><html><body><p>x</p>
                <img alt="truncated" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB">
                <script>console.error("boom"); undefinedFunction();</script></body></html>
                """);
            var bad = await HeadlessChromium.CheckAsync(chromium!, broken, Ct);
            Assert.Contains(bad.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
            Assert.Contains(bad.ConsoleErrors, e => e.Contains("undefinedFunction", StringComparison.Ordinal));
            Assert.Equal(1, bad.Images);
            Assert.Single(bad.BrokenImages);

            string blank = Path.Combine(dir, "blank.html");
            File.WriteAllText(blank, "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>");
            var empty = await HeadlessChromium.CheckAsync(chromium!, blank, Ct);
            Assert.Empty(empty.ConsoleErrors);
            Assert.True(Ink(empty.Screenshot).Differing < 0.005, "a blank page must read as blank");
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    // Share of pixels that differ from the top-left (background) pixel, and how many distinct colours there are.
    private static (double Differing, int Colours) Ink(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var background = bitmap.GetPixel(0, 0);
        long differing = 0;
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c != background) differing++;
                if (colours.Count < 64) colours.Add(c);
            }
        return (differing / ((bitmap.Width / 2.0) * (bitmap.Height / 2.0)), colours.Count);
    }
}
