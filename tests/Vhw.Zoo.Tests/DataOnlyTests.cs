using Vhw.Zoo.Data;

namespace Vhw.Zoo.Tests;

/// <summary>`vhw zoo --data-only` and `--test-data-only`: the data ingest reads, without a vision tower or training.</summary>
public sealed class DataOnlyTests
{
    static readonly ZooDataSpec Tiny = new() { TrainPerBenchmark = 40, TrainCaptions = 24, ValPerBenchmark = 6, TestPerBenchmark = 12 };

    static IReadOnlyList<string> Run(string root, bool dataOnly, bool testDataOnly)
    {
        var log = new List<string>();
        var results = new ZooRunner(new ZooOptions { Root = root, Data = Tiny, DataOnly = dataOnly, TestDataOnly = testDataOnly }, log.Add)
            .Run(TestContext.Current.CancellationToken);
        Assert.Empty(results);
        return log;
    }

    static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    [Fact]
    public void Test_data_only_writes_the_same_test_folders_as_the_full_data_and_nothing_else()
    {
        string full = Directory.CreateTempSubdirectory("vhw-zoo-full-").FullName, test = Directory.CreateTempSubdirectory("vhw-zoo-test-").FullName;
        try
        {
            Run(full, dataOnly: true, testDataOnly: false);
            Run(test, dataOnly: false, testDataOnly: true);

            // data-only: every split and the shared assets, but no vision tower, checkpoints or models
            Assert.Equal(["captions", "test", "train", "val"], Directory.GetDirectories(Path.Combine(full, "data")).Select(Path.GetFileName).Order());
            Assert.All(SharedAssets.Files, f => Assert.True(File.Exists(Path.Combine(full, "shared", f)), f));
            Assert.Equal(["data", "shared"], Directory.GetDirectories(full).Select(Path.GetFileName).Order());

            // test-data-only: data/test only, byte for byte what the full generation wrote
            Assert.Equal(["data"], Directory.GetDirectories(test).Select(Path.GetFileName));
            Assert.Equal(["test"], Directory.GetDirectories(Path.Combine(test, "data")).Select(Path.GetFileName));
            var expected = Files(Path.Combine(full, "data", "test"));
            var actual = Files(Path.Combine(test, "data", "test"));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
            foreach (var (name, _) in ZooDataset.Benchmarks)
                Assert.Equal(Tiny.TestPerBenchmark, File.ReadAllLines(Path.Combine(test, "data", "test", name, "questions.jsonl")).Length);
        }
        finally
        {
            Directory.Delete(full, recursive: true);
            Directory.Delete(test, recursive: true);
        }
    }

    [Fact]
    public void Test_data_only_is_skipped_when_a_manifest_matches_and_redone_for_another_spec()
    {
        string root = Directory.CreateTempSubdirectory("vhw-zoo-test-skip-").FullName;
        try
        {
            var paths = ZooDataset.WriteTest(root, Tiny);
            string questions = Path.Combine(paths.Test(PopeLike.Name), "questions.jsonl");
            File.WriteAllText(questions, "edited\n");
            ZooDataset.WriteTest(root, Tiny);
            Assert.Equal("edited\n", File.ReadAllText(questions)); // same spec: nothing rewritten
            ZooDataset.WriteTest(root, Tiny with { Seed = Tiny.Seed + 1 });
            Assert.Equal(Tiny.TestPerBenchmark, File.ReadAllLines(questions).Length);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
