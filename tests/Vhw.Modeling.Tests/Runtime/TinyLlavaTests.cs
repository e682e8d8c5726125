using Vhw.Modeling.Default;
using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Tests;

/// <summary>TinyLlava.Create writes the same bytes for the same spec, and different weights for another seed.</summary>
public sealed class TinyLlavaTests
{
    private static readonly string[] Files = ["config.json", "model.safetensors", "preprocessor_config.json"];

    [Fact]
    public void SameSpecGivesIdenticalBytes()
    {
        var spec = TinyModels.Spec(2);
        string a = TinyModels.TempFolder(), b = TinyModels.TempFolder();
        TinyLlava.Create(a, spec);
        TinyLlava.Create(b, spec);
        Assert.Equal(Files, Directory.GetFiles(a).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in Files)
            Assert.True(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))), file);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(TinyModels.Folder(2), "model.safetensors")));
    }

    [Fact]
    public void OtherSeedGivesOtherWeights()
    {
        string a = TinyModels.TempFolder();
        TinyLlava.Create(a, TinyModels.Spec(2) with { Seed = 8 });
        Assert.NotEqual(WeightsHash.Compute([Path.Combine(a, "model.safetensors")]), TinyModels.Model(2).WeightsSha256);
    }

    [Fact]
    public void DefaultSpecIsTheDocumentedTinyShape()
    {
        var config = new TinyLlavaSpec().ToConfig();
        Assert.Equal(16, config.ImageSeqLength);
        Assert.Equal(2, config.TextConfig.NumKeyValueHeads);
        Assert.Equal(4, config.TextConfig.NumHiddenLayers);
        Assert.Equal(64, config.TextConfig.HiddenSize);
        Assert.Equal("llava", config.ModelType);
        Assert.Equal("clip_vision_model", config.VisionConfig.ModelType);
        config.Validate("config.json");
    }
}
