using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Vhw.Zoo.Data;

/// <summary>
/// Renders a <see cref="Scene"/> with ImageSharp: dark background, each object filling its cell (margin 1 px), then
/// Gaussian blur (σ 1), lighting (dark ×0.45, bright halfway to white) and seeded Gaussian noise (σ 28). Deterministic.
/// </summary>
public static class SceneRenderer
{
    public static readonly Rgb24 Background = new(16, 16, 24);
    static readonly Rgb24[] Rgb = [new(220, 40, 40), new(40, 190, 60), new(50, 90, 235), new(235, 215, 40)];

    public static Image<Rgb24> Render(Scene scene)
    {
        var img = new Image<Rgb24>(World.ImageSize, World.ImageSize, Background);
        foreach (var o in scene.Objects)
            Draw(img, o.Kind, o.Col * World.PatchSize, o.Row * World.PatchSize, World.PatchSize);
        var d = scene.Degradation;
        if (d.Blur) img.Mutate(x => x.GaussianBlur(1.0f));
        if (d.Light != Lighting.Normal || d.Noise) Adjust(img, d, scene.NoiseSeed);
        return img;
    }

    static void Draw(Image<Rgb24> img, Combo kind, int x0, int y0, int size)
    {
        var rgb = Rgb[Array.IndexOf(World.Colours, kind.Colour)];
        int m = 1, s = size - 2 * m;
        for (int v = 0; v < s; v++)
            for (int u = 0; u < s; u++)
                if (Inside(kind.Shape, u + 0.5, v + 0.5, s)) img[x0 + m + u, y0 + m + v] = rgb;
    }

    /// <summary>Is the pixel centre (u, v) of an s×s box inside the shape?</summary>
    static bool Inside(string shape, double u, double v, int s)
    {
        double c = s / 2.0;
        return shape switch
        {
            "square" => true,
            "circle" => (u - c) * (u - c) + (v - c) * (v - c) <= c * c,
            "triangle" => Math.Abs(u - c) <= v / 2.0,
            "diamond" => Math.Abs(u - c) + Math.Abs(v - c) <= c,
            _ => throw new ArgumentException($"unknown shape '{shape}'"),
        };
    }

    static void Adjust(Image<Rgb24> img, Degradation d, ulong seed)
    {
        var rng = new ZooRng(seed);
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
            {
                var p = img[x, y];
                img[x, y] = new Rgb24(Channel(p.R, d, rng), Channel(p.G, d, rng), Channel(p.B, d, rng));
            }
    }

    static byte Channel(byte value, Degradation d, ZooRng rng)
    {
        double v = d.Light switch { Lighting.Dark => value * 0.45, Lighting.Bright => value + (255 - value) * 0.5, _ => value };
        if (d.Noise)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            v += 28 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2); // Box–Muller
        }
        return (byte)Math.Clamp(Math.Round(v), 0, 255);
    }
}
