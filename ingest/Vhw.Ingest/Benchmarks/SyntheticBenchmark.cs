using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks;

/// <summary>
/// The embedded default's benchmark: POPE-like yes/no questions about 1–3 shapes (square, circle, triangle) in
/// red/green/blue/yellow on a dark background, one shape per patch-grid cell. Exactly ⌊count/2⌋ answers are "Yes".
/// Every 3rd sample (i % 3 == 2) asks about a boxed object ("Is the {shape} in the box {colour}?") and carries the
/// box (its grid cell, in pixels), so region statistics are exercised. Questions end with LLaVA's
/// single-word suffix. Same arguments → same bytes (own PRNG, fixed PNG encoder settings).
/// </summary>
public static class SyntheticBenchmark
{
    public const string PresenceTask = "presence";
    public const string RegionTask = "region_colour";

    /// <summary>Every text the benchmark uses (questions, answers, suffix): the corpus for <c>TinyTokenizerWriter</c>.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } =
    [
        "Is there a in the image?", "Is the in the box?", "Yes", "No", "yes", "no",
        string.Join(' ', ShapeRaster.Colours), string.Join(' ', ShapeRaster.Shapes), BenchmarkPrompts.SingleWordOrPhrase,
    ];

    static readonly PngEncoder Png = new()
    {
        ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.DefaultCompression, FilterMethod = PngFilterMethod.Adaptive,
    };

    sealed record Shape(int Cell, string Kind, string Colour);

    /// <summary>Writes questions.jsonl and images/NNNNN.png into <paramref name="folder"/> and returns the samples.</summary>
    public static IReadOnlyList<BenchmarkSample> Write(string folder, int count, int seed, int imageSize = 32, int patchSize = 8)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "count must be > 0");
        if (patchSize < 4 || imageSize % patchSize != 0 || imageSize / patchSize < 2)
            throw new ArgumentException($"imageSize {imageSize} must be a multiple (≥ 2×) of patchSize {patchSize} (≥ 4)");
        int grid = imageSize / patchSize;
        var rng = new SplitMix64(unchecked((ulong)seed));
        var answers = Enumerable.Range(0, count).Select(i => i < count / 2).ToList();
        rng.Shuffle(answers);

        Directory.CreateDirectory(Path.Combine(folder, BenchmarkReader.ImagesFolder));
        var samples = new List<BenchmarkSample>(count);
        for (int i = 0; i < count; i++)
        {
            var shapes = RandomShapes(rng, grid);
            string image = $"{BenchmarkReader.ImagesFolder}/{i:D5}.png";
            using (var img = new Image<Rgb24>(imageSize, imageSize, ShapeRaster.Background))
            {
                foreach (var s in shapes) ShapeRaster.Draw(img, s.Kind, s.Colour, s.Cell % grid * patchSize, s.Cell / grid * patchSize, patchSize);
                img.Save(Path.Combine(folder, image), Png);
            }
            bool yes = answers[i];
            string question;
            float[]? box = null;
            string task;
            if (i % 3 == 2)
            {
                var target = shapes[rng.Next(shapes.Count)];
                string colour = yes ? target.Colour : OtherColour(rng, target.Colour);
                question = $"Is the {target.Kind} in the box {colour}?";
                int x0 = target.Cell % grid * patchSize, y0 = target.Cell / grid * patchSize;
                box = [x0, y0, x0 + patchSize, y0 + patchSize];
                task = RegionTask;
            }
            else
            {
                var (kind, colour) = yes ? PresentCombo(rng, shapes) : AbsentCombo(rng, shapes);
                question = $"Is there a {colour} {kind} in the image?";
                task = PresenceTask;
            }
            samples.Add(new BenchmarkSample($"syn-{i:D5}", image, BenchmarkPrompts.WithSuffix(question, BenchmarkPrompts.SingleWordOrPhrase),
                yes ? "Yes" : "No", box, task, i + 1));
        }
        BenchmarkWriter.Write(folder, samples);
        return samples;
    }

    /// <summary>1–3 shapes in distinct cells with distinct (shape, colour) combinations.</summary>
    static List<Shape> RandomShapes(SplitMix64 rng, int grid)
    {
        int n = 1 + rng.Next(3);
        var cells = Enumerable.Range(0, grid * grid).ToList();
        rng.Shuffle(cells);
        var combos = AllCombos().ToList();
        rng.Shuffle(combos);
        return Enumerable.Range(0, n).Select(k => new Shape(cells[k], combos[k].Kind, combos[k].Colour)).ToList();
    }

    static (string Kind, string Colour) PresentCombo(SplitMix64 rng, List<Shape> shapes)
    {
        var s = shapes[rng.Next(shapes.Count)];
        return (s.Kind, s.Colour);
    }

    static (string Kind, string Colour) AbsentCombo(SplitMix64 rng, List<Shape> shapes)
    {
        var absent = AllCombos().Where(c => !shapes.Any(s => s.Kind == c.Kind && s.Colour == c.Colour)).ToList();
        return absent[rng.Next(absent.Count)];
    }

    static string OtherColour(SplitMix64 rng, string colour)
    {
        var others = ShapeRaster.Colours.Where(c => c != colour).ToArray();
        return others[rng.Next(others.Length)];
    }

    static IEnumerable<(string Kind, string Colour)> AllCombos() =>
        ShapeRaster.Shapes.SelectMany(k => ShapeRaster.Colours.Select(c => (k, c)));
}
