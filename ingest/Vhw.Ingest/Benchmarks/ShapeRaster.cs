using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vhw.Ingest.Benchmarks;

/// <summary>Draws the synthetic shapes by setting pixels (no ImageSharp.Drawing), one shape per grid cell.</summary>
internal static class ShapeRaster
{
    public static readonly string[] Shapes = ["square", "circle", "triangle"];
    public static readonly string[] Colours = ["red", "green", "blue", "yellow"];
    public static readonly Rgb24 Background = new(16, 16, 24);

    static readonly Rgb24[] Rgb = [new(220, 40, 40), new(40, 190, 60), new(50, 90, 235), new(235, 215, 40)];

    /// <summary>Fills the inside of cell (x0, y0, size) with a shape, leaving a margin of size/8 (at least 1 px).</summary>
    public static void Draw(Image<Rgb24> img, string shape, string colour, int x0, int y0, int size)
    {
        var rgb = Rgb[Array.IndexOf(Colours, colour)];
        int m = Math.Max(1, size / 8), s = size - 2 * m;
        for (int v = 0; v < s; v++)
            for (int u = 0; u < s; u++)
                if (Inside(shape, u + 0.5, v + 0.5, s)) img[x0 + m + u, y0 + m + v] = rgb;
    }

    /// <summary>Is the pixel centre (u, v) of an s×s box inside the shape?</summary>
    static bool Inside(string shape, double u, double v, int s) => shape switch
    {
        "square" => true,
        "circle" => Sq(u - s / 2.0) + Sq(v - s / 2.0) <= Sq(s / 2.0),
        "triangle" => Math.Abs(u - s / 2.0) <= v / 2.0, // apex at top centre, base along the bottom
        _ => throw new ArgumentException($"unknown shape '{shape}'"),
    };

    static double Sq(double x) => x * x;
}
