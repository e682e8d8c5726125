using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vhw.Modeling.Processing;

/// <summary>
/// HF CLIPImageProcessor in C#: (pad to square) → resize (Pillow's algorithm, uint8) → centre crop → rescale → normalise,
/// producing CHW floats. ImageSharp only decodes; resampling is <see cref="PilResample"/>, so pixels equal HF's.
/// </summary>
public sealed class ClipImageProcessor(ClipImageProcessorConfig config)
{
    public const string ConfigFileName = "preprocessor_config.json";

    public ClipImageProcessorConfig Config { get; } = config;

    /// <summary>Decompression-bomb guard: images above this many pixels are refused before decoding.</summary>
    public long MaxPixels { get; init; } = 64_000_000;

    /// <summary>Reads <c>preprocessor_config.json</c> from a model folder (or the file itself); CLIP defaults when the folder has none.</summary>
    public static ClipImageProcessor Load(string folderOrFile)
    {
        string path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, ConfigFileName) : folderOrFile;
        if (!File.Exists(path))
        {
            if (Directory.Exists(folderOrFile)) return new(ClipImageProcessorConfig.Default);
            throw new FileNotFoundException($"preprocessor config not found: {path}", path);
        }
        return new(ClipImageProcessorConfig.FromJson(File.ReadAllText(path), path));
    }

    public PreprocessGeometry Geometry(int sourceWidth, int sourceHeight) => PreprocessGeometry.Compute(Config, sourceWidth, sourceHeight);

    /// <summary>Loads an image file safely (missing / not an image / too large / truncated → one-line exception) and preprocesses it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a recognised image, too many pixels, or corrupt/truncated.</exception>
    public ProcessedImage Preprocess(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        IImageInfo? info;
        try { info = Image.Identify(path); }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException)
        { throw new InvalidDataException($"unreadable image header: {path} ({OneLine(e.Message)})", e); }
        if (info is null) throw new InvalidDataException($"not a recognised image format: {path}");
        long pixels = (long)info.Width * info.Height;
        if (pixels > MaxPixels)
            throw new InvalidDataException($"image too large: {info.Width}x{info.Height} = {pixels / 1e6:0.#} Mpx > {MaxPixels / 1e6:0.#} Mpx cap: {path}");
        if (info.Width <= 0 || info.Height <= 0) throw new InvalidDataException($"image has no pixels: {path}");

        Image<Rgb24> image;
        try { image = Image.Load<Rgb24>(path); }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        { throw new InvalidDataException($"corrupt or truncated image: {path} ({OneLine(e.Message)})", e); }
        using (image)
        {
            float[] chw = Preprocess(image);
            var g = Geometry(image.Width, image.Height);
            return new ProcessedImage(chw, g.OutputWidth, g.OutputHeight, image.Width, image.Height);
        }
    }

    /// <summary>Preprocesses an in-memory image to CHW floats (3, OutputHeight, OutputWidth); the input is not modified.</summary>
    public float[] Preprocess(Image<Rgb24> image)
    {
        var g = Geometry(image.Width, image.Height);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        if (g.PaddedWidth != image.Width || g.PaddedHeight != image.Height) rgb = PadToSquare(rgb, g);
        if (g.ResizedWidth != g.PaddedWidth || g.ResizedHeight != g.PaddedHeight)
            rgb = PilResample.Resize(rgb, g.PaddedWidth, g.PaddedHeight, g.ResizedWidth, g.ResizedHeight, Config.Resample);
        return ToChw(rgb, g);
    }

    /// <summary>
    /// Patch indices (row-major over a gridSize × gridSize grid of patchSize pixels, ascending) whose cell overlaps
    /// the box (x0, y0, x1, y1) given in source-image pixels, after the same pad/resize/crop as <see cref="Preprocess(Image{Rgb24})"/>.
    /// The box is clipped to the image; cells must overlap with positive area; parts cropped away select nothing.
    /// </summary>
    public IReadOnlyList<int> RegionPatches(IReadOnlyList<float> box, int sourceWidth, int sourceHeight, int patchSize, int gridSize)
    {
        if (box.Count != 4) throw new ArgumentException($"box must have 4 values (x0, y0, x1, y1), got {box.Count}", nameof(box));
        if (patchSize <= 0 || gridSize <= 0) throw new ArgumentException($"patchSize and gridSize must be > 0, got {patchSize}, {gridSize}");
        var g = Geometry(sourceWidth, sourceHeight);
        if (g.OutputWidth != patchSize * gridSize || g.OutputHeight != patchSize * gridSize)
            throw new ArgumentException($"grid {gridSize}x{gridSize} of {patchSize}px does not cover the processed image {g.OutputWidth}x{g.OutputHeight}");
        double x0 = Math.Clamp(box[0], 0, sourceWidth), y0 = Math.Clamp(box[1], 0, sourceHeight);
        double x1 = Math.Clamp(box[2], 0, sourceWidth), y1 = Math.Clamp(box[3], 0, sourceHeight);
        if (x1 <= x0 || y1 <= y0) return [];
        var cols = CoveredCells(g.MapX(x0), g.MapX(x1), patchSize, gridSize);
        var rows = CoveredCells(g.MapY(y0), g.MapY(y1), patchSize, gridSize);
        return rows.SelectMany(r => cols.Select(c => r * gridSize + c)).ToArray();
    }

    /// <summary>Cells [k·p, (k+1)·p) that overlap [lo, hi) by more than a rounding epsilon.</summary>
    static List<int> CoveredCells(double lo, double hi, int patch, int grid)
    {
        const double eps = 1e-6;
        var cells = new List<int>();
        for (int k = 0; k < grid; k++)
            if (lo < (k + 1) * patch - eps && hi > k * patch + eps) cells.Add(k);
        return cells;
    }

    /// <summary>LLaVA expand2square: the image pasted on a square of colour tuple(int(x * 255) for x in image_mean).</summary>
    byte[] PadToSquare(byte[] rgb, PreprocessGeometry g)
    {
        var bg = Config.ImageMean.Select(m => (byte)(int)(m * 255)).ToArray();
        var canvas = new byte[g.PaddedWidth * g.PaddedHeight * 3];
        for (int i = 0; i < canvas.Length; i++) canvas[i] = bg[i % 3];
        for (int y = 0; y < g.SourceHeight; y++)
            Array.Copy(rgb, y * g.SourceWidth * 3, canvas, ((y + g.PadTop) * g.PaddedWidth + g.PadLeft) * 3, g.SourceWidth * 3);
        return canvas;
    }

    /// <summary>Centre crop (zero pixels outside, as HF pads), rescale and normalise into CHW.</summary>
    float[] ToChw(byte[] rgb, PreprocessGeometry g)
    {
        int h = g.OutputHeight, w = g.OutputWidth, plane = h * w;
        var outp = new float[3 * plane];
        float scale = Config.DoRescale ? Config.RescaleFactor : 1f;
        for (int ch = 0; ch < 3; ch++)
        {
            float mean = Config.DoNormalize ? Config.ImageMean[ch] : 0f, std = Config.DoNormalize ? Config.ImageStd[ch] : 1f;
            for (int y = 0; y < h; y++)
            {
                int sy = y + g.CropTop;
                for (int x = 0; x < w; x++)
                {
                    int sx = x + g.CropLeft;
                    bool inside = sy >= 0 && sy < g.ResizedHeight && sx >= 0 && sx < g.ResizedWidth;
                    byte v = inside ? rgb[(sy * g.ResizedWidth + sx) * 3 + ch] : (byte)0;
                    outp[ch * plane + y * w + x] = (v * scale - mean) / std;
                }
            }
        }
        return outp;
    }

    static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
