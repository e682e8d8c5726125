using Vhw.Modeling.Loading;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Tests;

/// <summary>Must-show checks on the committed zoo fixtures (zoo/models/), scored on the regenerated default test split.</summary>
public sealed class ShippedZooTests
{
    static string Models => Path.Combine(RepoRoot(), "zoo", "models");

    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VisionHeadsWarehouse.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root (VisionHeadsWarehouse.sln) not found above the test binaries");
    }

    [Fact]
    public void Fixtures_fit_the_30_MB_budget_and_every_model_loads_in_fp16()
    {
        var dirs = Directory.GetDirectories(Models).Where(d => File.Exists(Path.Combine(d, "config.json"))).ToList();
        Assert.Contains(dirs, d => Path.GetFileName(d) == "vicuna-s1");
        long bytes = Directory.GetFiles(Models, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes <= 30_000_000, $"zoo fixtures are {bytes / 1e6:0.0} MB");
        foreach (var dir in dirs)
        {
            var loaded = LlavaCheckpoint.Load(dir);
            Assert.Equal("float16", loaded.Config.TorchDtype);
            Assert.True(loaded.Config.TextConfig.NumAttentionHeads >= 8);
            loaded.Model.Dispose();
        }
    }

    [Fact]
    public void Vicuna_s1_answers_pope_like_well_above_chance_and_a_white_image_drops_it_to_chance()
    {
        string dir = Directory.CreateTempSubdirectory("vhw-zoo-pope-").FullName;
        try
        {
            var test = ZooDataset.Generate(new ZooDataSpec()).Test[PopeLike.Name].Take(100).ToList();
            ZooDataset.WriteFolder(dir, test);
            using var evaluator = new ZooEvaluator(Path.Combine(Models, "vicuna-s1"));
            var score = evaluator.Score(dir);
            Assert.True(score.Accuracy >= 0.90, $"pope-like accuracy {score.Accuracy:P1}");
            Assert.InRange(score.BlankAccuracy, 0.30, 0.70);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
