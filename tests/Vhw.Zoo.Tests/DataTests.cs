using Vhw.Ingest.Benchmarks;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Tests;

public sealed class DataTests
{
    static readonly ZooDataSpec Small = new() { TrainPerBenchmark = 600, TrainCaptions = 60, ValPerBenchmark = 60, TestPerBenchmark = 120 };

    [Fact]
    public void Same_spec_gives_the_same_items_and_another_seed_does_not()
    {
        var a = ZooDataset.Generate(Small);
        var b = ZooDataset.Generate(Small);
        var c = ZooDataset.Generate(Small with { Seed = Small.Seed + 1 });
        string Key(QaItem i) => $"{i.Scene.Signature}|{i.Scene.NoiseSeed}|{i.Question}|{i.Answer}";
        Assert.Equal(a.Train.Select(Key), b.Train.Select(Key));
        Assert.Equal(a.Test["pope-like"].Select(Key), b.Test["pope-like"].Select(Key));
        Assert.NotEqual(a.Train.Select(Key), c.Train.Select(Key));
    }

    [Fact]
    public void Val_and_test_scenes_never_occur_in_train_and_test_never_in_val()
    {
        var (train, captions, val, test) = ZooDataset.Generate(Small);
        var seen = train.Concat(captions).Select(i => i.Scene.Signature).ToHashSet();
        Assert.DoesNotContain(val, i => seen.Contains(i.Scene.Signature));
        seen.UnionWith(val.Select(i => i.Scene.Signature));
        Assert.All(test.Values.SelectMany(v => v), i => Assert.DoesNotContain(i.Scene.Signature, seen));
    }

    [Fact]
    public void Answers_are_balanced_per_benchmark_and_task()
    {
        var test = ZooDataset.Generate(Small).Test;
        foreach (var split in PopeLike.Splits)
        {
            var items = test["pope-like"].Where(i => i.Task == split).ToList();
            Assert.Equal(items.Count / 2, items.Count(i => i.Answer == "Yes"));
        }
        foreach (var name in new[] { "mmbench-like", "seed-like" })
            foreach (var g in test[name].GroupBy(i => i.Task))
            {
                var letters = g.GroupBy(i => i.Answer).ToDictionary(x => x.Key, x => x.Count());
                Assert.Equal(4, letters.Count);
                Assert.True(letters.Values.Max() - letters.Values.Min() <= 1, $"{name}/{g.Key}: {string.Join(", ", letters)}");
            }
    }

    [Fact]
    public void Every_sample_is_consistent_with_its_scene()
    {
        var test = ZooDataset.Generate(Small).Test;
        foreach (var i in test["pope-like"])
        {
            var words = i.Question.Split('\n')[0].Replace("Is there a ", "").Replace(" in the image?", "").Split(' ');
            Assert.Equal(i.Answer == "Yes", i.Scene.Contains(new Combo(words[1], words[0])));
        }
        foreach (var i in test["pointqa-like"])
        {
            Assert.NotNull(i.Box);
            var inBox = i.Scene.Objects.Where(o => o.Col * World.PatchSize >= i.Box![0] && (o.Col + 1) * World.PatchSize <= i.Box[2]
                                                   && o.Row * World.PatchSize >= i.Box[1] && (o.Row + 1) * World.PatchSize <= i.Box[3]).ToList();
            Assert.Contains(QaFormat.BoxText(i.Box!), i.Question);
            if (i.Task == "super") Assert.Equal(inBox.Count.ToString(), i.Answer);
            if (i.Task == "general") Assert.Equal(inBox.Single().Kind.ToString(), i.Answer);
        }
        foreach (var i in test["qbench-like"].Where(i => i.Task == "blur"))
            Assert.Equal(i.Answer == "Yes", i.Scene.Degradation.Blur);
    }

    [Fact]
    public void Written_folders_are_read_back_without_rejects_and_pointqa_keeps_its_box()
    {
        string dir = Directory.CreateTempSubdirectory("vhw-zoo-data-").FullName;
        try
        {
            var items = ZooDataset.Generate(Small).Test["pointqa-like"].Take(30).ToList();
            ZooDataset.WriteFolder(dir, items);
            var read = BenchmarkReader.Read(dir).ToList();
            Assert.All(read, r => Assert.IsType<BenchmarkSample>(r));
            var first = (BenchmarkSample)read[0];
            Assert.Equal(items[0].Box, first.Box);
            Assert.Equal("pointqa-like", ZooDataset.BenchmarkOf(first.Id));
            var bytes = File.ReadAllBytes(Path.Combine(dir, first.ImagePath));
            ZooDataset.WriteFolder(dir, items);
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, first.ImagePath)));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Text_only_baseline_is_near_chance()
    {
        var (train, _, _, test) = ZooDataset.Generate(Small with { TrainPerBenchmark = 900, TestPerBenchmark = 240 });
        BenchmarkSample S(QaItem i) => new("x", "i.png", i.Question, i.Answer, i.Box, i.Task, 1);
        foreach (var (name, chance) in new[] { ("pope-like", 0.5), ("mmbench-like", 0.25), ("seed-like", 0.25), ("qbench-like", 0.45), ("pointqa-like", 0.25) })
        {
            double acc = TextOnlyBaseline.Accuracy(train.Where(i => i.Benchmark == name).Select(S), test[name].Select(S));
            Assert.True(acc < chance + 0.1, $"{name}: text-only {acc:P1} vs chance {chance:P0}");
        }
    }
}
