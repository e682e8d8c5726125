using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vhw.Modeling.Processing;

namespace Vhw.Ingest.Benchmarks;

/// <summary>Preprocesses a sample's image wherever it lives: in memory (MMBench base64), resolved under an image root, or in the benchmark folder.</summary>
public static class SampleImage
{
    /// <exception cref="FileNotFoundException">The image file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a recognised image, too many pixels, or corrupt.</exception>
    public static ProcessedImage Preprocess(ClipImageProcessor processor, BenchmarkSample sample, string benchmarkDir)
    {
        if (sample.ImageBytes is not { } bytes)
            return processor.Preprocess(sample.ResolvedImagePath ?? Path.Combine(benchmarkDir, sample.ImagePath));

        IImageInfo? info;
        try { info = Image.Identify(bytes); }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException)
        { throw new InvalidDataException($"unreadable embedded image of {sample.Id}: {e.Message.ReplaceLineEndings(" ")}", e); }
        if (info is null || info.Width <= 0 || info.Height <= 0) throw new InvalidDataException($"embedded image of {sample.Id} is not a recognised image");
        if ((long)info.Width * info.Height > processor.MaxPixels)
            throw new InvalidDataException($"embedded image of {sample.Id} too large: {info.Width}x{info.Height}");
        Image<Rgb24> image;
        try { image = Image.Load<Rgb24>(bytes); }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        { throw new InvalidDataException($"corrupt embedded image of {sample.Id}: {e.Message.ReplaceLineEndings(" ")}", e); }
        using (image)
        {
            float[] chw = processor.Preprocess(image);
            var g = processor.Geometry(image.Width, image.Height);
            return new ProcessedImage(chw, g.OutputWidth, g.OutputHeight, image.Width, image.Height);
        }
    }
}
