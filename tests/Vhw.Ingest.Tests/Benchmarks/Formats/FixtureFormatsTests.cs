using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Fixtures;
using Vhw.Ingest.Benchmarks.Sources;
using Vhw.Modeling.Prompting;
using static Vhw.Ingest.Tests.Benchmarks.Formats.FixtureFolder;

namespace Vhw.Ingest.Tests.Benchmarks.Formats;

public sealed class FixtureFormatsTests(FixtureFolder f) : IClassFixture<FixtureFolder>
{
    [Fact]
    public void Pope_reads_every_split_with_split_prefixed_ids_and_resolved_images()
    {
        var items = Read(f.Paths.Pope);
        var samples = Samples(items);
        Assert.Empty(Rejects(items));
        Assert.Equal(3 * BenchmarkFixtures.Counts.PopePerSplit, samples.Count);
        Assert.Equal(["adversarial-1", "adversarial-2", "adversarial-3", "popular-1"], samples.Take(4).Select(s => s.Id));
        var first = samples[0];
        Assert.Equal((BenchmarkKind.Pope, "adversarial", "yes", 1), (first.Kind, first.Split, first.Answer, first.Line));
        Assert.Equal("Is there a red square in the image?", first.Question);
        Assert.Equal("COCO_val2014_000000000001.jpg", first.ImagePath);
        Assert.Equal(Path.Combine(f.Paths.Pope, "val2014", first.ImagePath), first.ResolvedImagePath);
        Assert.Equal(Path.Combine(f.Paths.Pope, "coco_pope_adversarial.json"), first.SourceFile);
        Assert.Equal("pope", BenchmarkSources.Open(f.Paths.Pope, BenchmarkSourceOptions.Default).Name);
    }

    [Fact]
    public void Pope_single_file_is_one_split_named_after_the_file()
    {
        var source = BenchmarkSources.Open("pope:" + Path.Combine(f.Paths.Pope, "coco_pope_random.json"), BenchmarkSourceOptions.Default);
        Assert.Equal("coco_pope_random", source.Name);
        Assert.All(Samples(source.Read().ToList()), s => Assert.Equal("random", s.Split));
    }

    [Fact]
    public void Mmbench_reads_hint_options_until_nan_quoted_fields_and_image_references()
    {
        var items = Read(f.Paths.MMBench);
        var samples = Samples(items);
        Assert.Empty(Rejects(items));
        Assert.Equal(["0", "1", "2", "3"], samples.Select(s => s.Id));
        Assert.Equal([2, 3, 4, 6], samples.Select(s => s.Line)); // row 2's question spans two lines
        Assert.Null(samples[0].Hint);
        Assert.Equal("The image shows two shapes.", samples[1].Hint);
        Assert.Equal(["one", "two", "three"], samples[2].Options!);
        Assert.Equal("How many shapes\nare there?", samples[2].Question);
        Assert.Equal(["yes", "no"], samples[3].Options!);
        Assert.Same(samples[0].ImageBytes, samples[3].ImageBytes); // "image" = "0" reuses row 0's image
        Assert.Equal(("B", "attribute_recognition", "finegrained_perception (instance-level)"), (samples[0].Answer, samples[0].Category, samples[0].QuestionType));
        Assert.Equal("mmbench_dev_en.tsv#1", samples[1].ImagePath);
        Assert.All(samples, s => Assert.Null(s.GroupId));
    }

    [Fact]
    public void Mmbench_circular_asks_every_rotation_and_moves_the_answer_with_its_option()
    {
        var samples = Samples(Read(f.Paths.MMBench, new BenchmarkSourceOptions([], Circular: true)));
        Assert.Equal(4 + 4 + 3 + 2, samples.Count);
        var q0 = samples.Where(s => s.GroupId == "0").ToList();
        Assert.Equal(["0", "0-r1", "0-r2", "0-r3"], q0.Select(s => s.Id));
        Assert.Equal(["red", "green", "yellow", "blue"], q0[1].Options!);
        Assert.Equal(["B", "A", "D", "C"], q0.Select(s => s.Answer)); // "red" was B
        Assert.All(q0, s => Assert.Equal("red", s.Options![MultipleChoice.IndexOf(s.Answer)]));
        Assert.Equal([0, 1, 2, 3], q0.Select(s => s.Round));
    }

    [Fact]
    public void Seed_reads_image_questions_names_their_type_and_skips_video()
    {
        var items = Read(f.Paths.Seed);
        var samples = Samples(items);
        Assert.Empty(Rejects(items));
        Assert.Equal(["101", "102", "103", "104"], samples.Select(s => s.Id));
        Assert.Equal(["circle", "square", "triangle", "star"], samples[0].Options!);
        Assert.Equal(("B", "Instance Identity"), (samples[0].Answer, samples[0].Category));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(f.Paths.Seed)!, "SEED-Bench-image", "1001_2001.jpg"), samples[0].ResolvedImagePath);
        Assert.Equal(3, samples[0].Line); // pretty-printed: the first question object starts on line 3
        Assert.True(samples[1].Line > samples[0].Line);
    }

    [Fact]
    public void Qbench_maps_the_correct_candidate_to_its_letter()
    {
        var items = Read(f.Paths.QBench);
        var samples = Samples(items);
        Assert.Empty(Rejects(items));
        Assert.Equal(["0", "1", "2", "3"], samples.Select(s => s.Id));
        Assert.Equal(["A", "B", "B", "B"], samples.Select(s => s.Answer));
        Assert.Equal(["yes_or_no", "what", "how", "yes_or_no"], samples.Select(s => s.QuestionType));
        Assert.Equal(["distortion", "other_low_level", "other_low_level", "in_context_distortion"], samples.Select(s => s.Category));
        Assert.Equal(["Yes", "No"], samples[0].Options!);
    }

    [Fact]
    public void Pointqa_gives_one_boxed_sample_per_question_type_with_counts_as_text()
    {
        var items = Read(f.Paths.PointQa);
        var samples = Samples(items);
        Assert.Empty(Rejects(items));
        Assert.Equal(3 * BenchmarkFixtures.Counts.PointQaRows, samples.Count);
        Assert.Equal(["line1-general", "line1-object", "line1-super"], samples.Take(3).Select(s => s.Id));
        Assert.Equal(["general", "object", "super"], samples.Take(3).Select(s => s.QuestionType));
        Assert.Equal("How many blue squares are there?", samples[1].Question);
        Assert.Equal(["2", "3", "12"], samples.Where(s => s.QuestionType == "general").Select(s => s.Answer));
        Assert.Equal([0f, 0f, 64f, 16f], samples[^1].Box);
        Assert.Equal("2370002.jpg", samples[^1].ImagePath);
    }

    [Fact]
    public void Questions_folder_is_the_native_format_with_task_as_category()
    {
        var samples = Samples(Read(f.Paths.Questions));
        Assert.Equal(BenchmarkFixtures.Counts.Questions, samples.Count);
        Assert.All(samples, s => Assert.Equal((BenchmarkKind.Questions, s.Task), (s.Kind, s.Category)));
    }
}
