using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Fixtures;
using Vhw.Ingest.Benchmarks.Sources;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Tests.Benchmarks.Formats;

public sealed class DetectionTests(FixtureFolder f) : IClassFixture<FixtureFolder>
{
    [Fact]
    public void Every_fixture_folder_and_file_is_detected_as_its_format()
    {
        Assert.Equal(BenchmarkKind.Pope, Assert.Single(BenchmarkSources.Detect(f.Paths.Pope)).Kind);
        Assert.Equal(BenchmarkKind.MMBench, BenchmarkSources.DetectFile(f.Paths.MMBench));
        Assert.Equal(BenchmarkKind.SeedBench, BenchmarkSources.DetectFile(f.Paths.Seed));
        Assert.Equal(BenchmarkKind.QBench, BenchmarkSources.DetectFile(f.Paths.QBench));
        Assert.Equal(BenchmarkKind.PointQA, BenchmarkSources.DetectFile(f.Paths.PointQa));
        Assert.Equal(BenchmarkKind.Pope, BenchmarkSources.DetectFile(Path.Combine(f.Paths.Pope, "coco_pope_popular.json")));
        Assert.Equal(BenchmarkKind.Questions, Assert.Single(BenchmarkSources.Detect(f.Paths.Questions)).Kind);
        foreach (var folder in new[] { f.Paths.MMBench, f.Paths.Seed, f.Paths.QBench, f.Paths.PointQa })
            Assert.Equal(folder, Assert.Single(BenchmarkSources.Detect(Path.GetDirectoryName(folder)!)).Path);
    }

    [Fact]
    public void Explicit_format_prefix_wins_and_unknown_prefixes_are_part_of_the_path()
    {
        Assert.Equal((BenchmarkKind?)BenchmarkKind.QBench, BenchmarkSources.Parse("qbench:/data/x.json").Kind);
        Assert.Equal("/data/x.json", BenchmarkSources.Parse("QBench:/data/x.json").Path);
        Assert.Equal((null, "C:\\data\\pope"), BenchmarkSources.Parse("C:\\data\\pope"));
        Assert.Equal((null, "vqa:/x"), BenchmarkSources.Parse("vqa:/x"));
        var source = BenchmarkSources.Open("qbench:" + f.Paths.QBench, BenchmarkSourceOptions.Default);
        Assert.Equal(("llvisionqa_dev", BenchmarkKind.QBench), (source.Name, source.Kind));
    }

    [Fact]
    public void A_folder_with_several_benchmarks_or_none_is_refused_with_the_specs_to_use()
    {
        var many = Assert.Throws<InvalidDataException>(() => BenchmarkSources.Open(f.Root, BenchmarkSourceOptions.Default));
        Assert.Contains("no benchmark format recognised", many.Message); // the root itself holds no benchmark file
        string mixed = Path.Combine(f.Root, "mixed-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(mixed);
        File.Copy(f.Paths.QBench, Path.Combine(mixed, "a.json"));
        File.Copy(f.Paths.PointQa, Path.Combine(mixed, "b.jsonl"));
        var e = Assert.Throws<InvalidDataException>(() => BenchmarkSources.Open(mixed, BenchmarkSourceOptions.Default));
        Assert.Contains($"qbench:{Path.Combine(mixed, "a.json")}", e.Message);
        Assert.Contains($"pointqa:{Path.Combine(mixed, "b.jsonl")}", e.Message);
        Assert.Throws<FileNotFoundException>(() => BenchmarkSources.Open(Path.Combine(f.Root, "nope"), BenchmarkSourceOptions.Default));
    }

    [Fact]
    public void Run_identity_hash_is_the_questions_file_for_the_native_format_and_changes_with_circular()
    {
        var native = BenchmarkSources.Open(f.Paths.Questions, BenchmarkSourceOptions.Default);
        Assert.Equal(Vhw.Ingest.Pipeline.RunIdentity.Sha256OfFile(BenchmarkReader.QuestionsPath(f.Paths.Questions)), BenchmarkSourceHash.Sha256(native));
        string plain = BenchmarkSourceHash.Sha256(BenchmarkSources.Open(f.Paths.MMBench, BenchmarkSourceOptions.Default));
        string circular = BenchmarkSourceHash.Sha256(BenchmarkSources.Open(f.Paths.MMBench, new BenchmarkSourceOptions([], true)));
        Assert.NotEqual(plain, circular);
        Assert.Equal(plain, BenchmarkSourceHash.Sha256(BenchmarkSources.Open(f.Paths.MMBench, BenchmarkSourceOptions.Default)));
    }

    [Fact]
    public void Image_roots_are_searched_before_the_formats_own_folders()
    {
        string roots = Path.Combine(f.Root, "roots-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(roots);
        File.WriteAllBytes(Path.Combine(roots, "COCO_val2014_000000000001.jpg"), BenchmarkFixtures.ShapesPng(("circle", "red")));
        var samples = BenchmarkSources.Open(f.Paths.Pope, new BenchmarkSourceOptions([roots], false)).Read().OfType<BenchmarkSample>().ToList();
        Assert.Equal(Path.Combine(roots, "COCO_val2014_000000000001.jpg"), samples[0].ResolvedImagePath);
        Assert.Equal(Path.Combine(f.Paths.Pope, "val2014", "COCO_val2014_000000000002.jpg"), samples[1].ResolvedImagePath);
    }

    [Fact]
    public void Catalog_lists_every_fixture_with_counts_subsets_and_rejects()
    {
        var summaries = BenchmarkCatalog.Scan(f.Root, BenchmarkSourceOptions.Default);
        var byKind = summaries.Where(s => s.Candidate.Path.StartsWith(f.Root) && !s.Candidate.Path.Contains("copy-") && !s.Candidate.Path.Contains("mixed-"))
            .ToDictionary(s => s.Candidate.Kind);
        Assert.Equal(6, byKind.Count);
        Assert.Equal((9, 0), (byKind[BenchmarkKind.Pope].Samples, byKind[BenchmarkKind.Pope].RejectCount));
        Assert.Equal(3, byKind[BenchmarkKind.Pope].Subsets["split=adversarial"]);
        Assert.Equal(4, byKind[BenchmarkKind.MMBench].Samples);
        Assert.Equal(4, byKind[BenchmarkKind.SeedBench].Samples);
        Assert.Equal(2, byKind[BenchmarkKind.QBench].Subsets["question_type=yes_or_no"]);
        Assert.Equal(9, byKind[BenchmarkKind.PointQA].Samples);
        Assert.Equal(BenchmarkFixtures.Counts.Questions, byKind[BenchmarkKind.Questions].Samples);
        Assert.Equal(13, BenchmarkCatalog.Scan(f.Paths.MMBench, new BenchmarkSourceOptions([], true)).Single().Samples);

        string text = BenchmarkCatalog.Render(byKind.Values.OrderBy(s => s.Candidate.Kind).ToList(), details: true);
        Assert.Matches(new System.Text.RegularExpressions.Regex($@"(?m)^pope +pope +9 +0  {System.Text.RegularExpressions.Regex.Escape("pope:" + f.Paths.Pope)}$"), text);
        Assert.Contains("split=adversarial: 3, split=popular: 3, split=random: 3", text);
        Assert.EndsWith("6 benchmarks, 36 samples, 0 rejects\n", text);
    }
}
