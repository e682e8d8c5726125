using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using Vhw.Ingest.Benchmarks;

namespace Vhw.Zoo.Data;

/// <summary>Sizes and seed of the synthetic VQA data. Split seeds are derived from <see cref="Seed"/> (train, val, test differ).</summary>
public sealed record ZooDataSpec
{
    public int Seed { get; init; } = 20251201;
    public int TrainPerBenchmark { get; init; } = 6000;
    public int TrainCaptions { get; init; } = 6000;
    public int ValPerBenchmark { get; init; } = 150;
    public int TestPerBenchmark { get; init; } = 300;
}

/// <summary>
/// Writes the synthetic VQA data in the project's benchmark format (questions.jsonl + images/): train/ (the five
/// benchmarks mixed, ids "{benchmark}-NNNNNN"), captions/ (stage 1), val/ (mixed) and test/{benchmark}/ (what ingest
/// reads). Scenes in val and test never repeat a train (or, for test, val) scene: disjoint by <see cref="Scene.Signature"/>.
/// Deterministic (own PRNG, fixed PNG settings); a folder whose manifest matches the spec is not rewritten.
/// </summary>
public static class ZooDataset
{
    public delegate QaItem Generator(ZooRng rng, ScenePrior prior, int slot);

    public static readonly IReadOnlyList<(string Name, Generator Make)> Benchmarks =
    [
        (PopeLike.Name, PopeLike.Generate), (ChoiceTasks.MmBench, ChoiceTasks.MmBenchLike), (ChoiceTasks.Seed, ChoiceTasks.SeedLike),
        (QbenchLike.Name, QbenchLike.Generate), (PointQaLike.Name, PointQaLike.Generate),
    ];

    public const string ManifestFile = "_zoo_data.json";

    static readonly PngEncoder Png = new()
    {
        ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.DefaultCompression, FilterMethod = PngFilterMethod.Adaptive,
    };

    public sealed record Paths(string Root)
    {
        public string Train => Path.Combine(Root, "train");
        public string Captions => Path.Combine(Root, "captions");
        public string Val => Path.Combine(Root, "val");
        public string Test(string benchmark) => Path.Combine(Root, "test", benchmark);
        public string Manifest => Path.Combine(Root, ManifestFile);
        public string TestManifest => Path.Combine(Root, "test", ManifestFile);
    }

    /// <summary>All splits as items (no files written); val/test disjoint from train.</summary>
    public static (List<QaItem> Train, List<QaItem> Captions, List<QaItem> Val, Dictionary<string, List<QaItem>> Test) Generate(ZooDataSpec spec)
    {
        var prior = new ScenePrior();
        var train = Benchmarks.SelectMany((b, k) => Make(b.Make, prior, spec.TrainPerBenchmark, new ZooRng(spec.Seed, 100 + k), null)).ToList();
        var captions = Make(Captions.Generate, prior, spec.TrainCaptions, new ZooRng(spec.Seed, 99), null);
        var seen = train.Concat(captions).Select(i => i.Scene.Signature).ToHashSet(StringComparer.Ordinal);
        var val = Benchmarks.SelectMany((b, k) => Make(b.Make, prior, spec.ValPerBenchmark, new ZooRng(spec.Seed, 200 + k), seen)).ToList();
        seen.UnionWith(val.Select(i => i.Scene.Signature));
        var test = Benchmarks.Select((b, k) => (b.Name, Items: Make(b.Make, prior, spec.TestPerBenchmark, new ZooRng(spec.Seed, 300 + k), seen)))
            .ToDictionary(t => t.Name, t => t.Items, StringComparer.Ordinal);
        return (train, captions, val, test);
    }

    /// <summary>
    /// Writes every split under <paramref name="root"/> (skipped when the manifest already matches). The manifest is
    /// written last, in root and in test/ (the latter also vouches for <see cref="WriteTest"/>).
    /// </summary>
    public static Paths Write(string root, ZooDataSpec spec)
    {
        var paths = new Paths(root);
        string expected = JsonSerializer.Serialize(spec);
        if (ManifestMatches(paths.Manifest, expected)) return paths;
        var (train, captions, val, test) = Generate(spec);
        if (File.Exists(paths.TestManifest)) File.Delete(paths.TestManifest);
        WriteFolder(paths.Train, train);
        WriteFolder(paths.Captions, captions);
        WriteFolder(paths.Val, val);
        foreach (var (name, items) in test) WriteFolder(paths.Test(name), items);
        File.WriteAllText(paths.TestManifest, expected);
        File.WriteAllText(paths.Manifest, expected);
        return paths;
    }

    /// <summary>
    /// Writes only test/{benchmark}/ (what ingest reads), byte-identical to <see cref="Write"/>'s: test scenes avoid the
    /// train, caption and val scenes, so those splits are drawn (not rendered) to know them. Skipped when the full or the
    /// test manifest already matches.
    /// </summary>
    public static Paths WriteTest(string root, ZooDataSpec spec)
    {
        var paths = new Paths(root);
        string expected = JsonSerializer.Serialize(spec);
        if (ManifestMatches(paths.Manifest, expected) || ManifestMatches(paths.TestManifest, expected)) return paths;
        var test = Generate(spec).Test;
        if (File.Exists(paths.TestManifest)) File.Delete(paths.TestManifest);
        foreach (var (name, items) in test) WriteFolder(paths.Test(name), items);
        File.WriteAllText(paths.TestManifest, expected);
        return paths;
    }

    static bool ManifestMatches(string file, string expected) => File.Exists(file) && File.ReadAllText(file) == expected;

    /// <summary>
    /// <paramref name="count"/> items for slots 0..count-1; with <paramref name="exclude"/>, a scene already seen is
    /// redrawn for the same slot (the answer balance is kept).
    /// </summary>
    public static List<QaItem> Make(Generator make, ScenePrior prior, int count, ZooRng rng, HashSet<string>? exclude)
    {
        var items = new List<QaItem>(count);
        for (int slot = 0; slot < count; slot++)
        {
            QaItem item;
            int tries = 0;
            do item = make(rng, prior, slot);
            while (exclude is not null && exclude.Contains(item.Scene.Signature) && ++tries < 1000);
            if (tries >= 1000) throw new InvalidOperationException($"{item.Benchmark} slot {slot}: no scene outside the excluded set after 1000 draws");
            items.Add(item);
        }
        return items;
    }

    /// <summary>Writes images/NNNNNN.png and questions.jsonl (ids "{benchmark}-NNNNNN", task = the item's task).</summary>
    public static List<BenchmarkSample> WriteFolder(string folder, IReadOnlyList<QaItem> items)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(Path.Combine(folder, BenchmarkReader.ImagesFolder));
        var samples = new List<BenchmarkSample>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            string image = $"{BenchmarkReader.ImagesFolder}/{i:D6}.png";
            using (var img = SceneRenderer.Render(item.Scene)) img.Save(Path.Combine(folder, image), Png);
            samples.Add(new BenchmarkSample($"{item.Benchmark}-{i:D6}", image, item.Question, item.Answer, item.Box, item.Task, i + 1));
        }
        BenchmarkWriter.Write(folder, samples);
        return samples;
    }

    /// <summary>The benchmark name encoded in a sample id written by <see cref="WriteFolder"/>.</summary>
    public static string BenchmarkOf(string id) => id[..id.LastIndexOf('-')];
}
