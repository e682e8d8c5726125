using Vhw.Modeling.Loading;

namespace Vhw.Zoo.Tests;

/// <summary>The committed zoo fixtures (zoo/models/): size budget and loadability. The must-show checks are in ZooMustShowTests and ZooAblationMustShowTests.</summary>
public sealed class ShippedZooTests
{
    [Fact]
    public void Fixtures_fit_the_30_MB_budget_and_every_model_loads_in_fp16()
    {
        string models = ZooPaths.Models;
        var dirs = Directory.GetDirectories(models).Where(d => File.Exists(Path.Combine(d, "config.json"))).ToList();
        Assert.NotEmpty(dirs);
        long bytes = Directory.GetFiles(models, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes <= 30_000_000, $"zoo fixtures are {bytes / 1e6:0.0} MB");
        foreach (var dir in dirs)
        {
            var loaded = LlavaCheckpoint.Load(dir);
            Assert.Equal("float16", loaded.Config.TorchDtype);
            Assert.True(loaded.Config.TextConfig.NumAttentionHeads >= 8);
            loaded.Model.Dispose();
        }
    }
}
