using System.Text.Json.Nodes;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Tests.Fidelity;

/// <summary>
/// Per-family config semantics: absent text_config fields take the family's HF defaults (MistralConfig, Phi3Config),
/// sliding windows apply only where HF applies them, transformers v5 rope_parameters, and Llama-3's large rope_theta.
/// </summary>
public sealed class FamilyConfigTests
{
    [Fact]
    public void SparseMistralTextConfigGetsMistralDefaults()
    {
        var c = Read(new JsonObject { ["model_type"] = "mistral", ["_name_or_path"] = "mistralai/Mistral-7B-Instruct-v0.2" });
        Assert.Equal(4096, c.TextConfig.SlidingWindow);
        Assert.Equal(4096, c.TextConfig.EffectiveSlidingWindow);
        Assert.Equal(8, c.TextConfig.NumKeyValueHeads);
        Assert.Equal(14336, c.TextConfig.IntermediateSize);
        Assert.Equal(131072, c.TextConfig.MaxPositionEmbeddings);
        Assert.Equal(1e-6, c.TextConfig.RmsNormEps);
        Assert.Equal("mistral", c.Family);
    }

    [Fact]
    public void ExplicitNullSlidingWindowStaysNull()
    {
        // llava-v1.6-mistral-7b-hf: Mistral-7B-Instruct-v0.2 has "sliding_window": null and rope_theta 1e6
        var c = Read(new JsonObject { ["model_type"] = "mistral", ["sliding_window"] = null, ["rope_theta"] = 1000000.0 });
        Assert.Null(c.TextConfig.EffectiveSlidingWindow);
        Assert.Equal(1000000.0, c.TextConfig.RopeTheta);
    }

    [Fact]
    public void SparsePhi3TextConfigGetsPhi3Defaults()
    {
        var c = Read(new JsonObject { ["model_type"] = "phi3", ["sliding_window"] = 2047 });
        Assert.Equal(1e-5, c.TextConfig.RmsNormEps);
        Assert.Equal(32064, c.TextConfig.VocabSize);
        Assert.Equal(3072, c.TextConfig.HiddenSize);
        Assert.Equal(8192, c.TextConfig.IntermediateSize);
        Assert.Equal(32, c.TextConfig.NumKeyValueHeads);
        Assert.Equal(32000, c.TextConfig.EosTokenId);
        Assert.Equal(4096, c.TextConfig.MaxPositionEmbeddings);
        Assert.Equal(2047, c.TextConfig.EffectiveSlidingWindow);
        Assert.Equal("phi3", c.Family);
    }

    [Fact]
    public void LlamaKeepsLlamaDefaultsAndRefusesAShortSlidingWindow()
    {
        var c = Read(new JsonObject { ["model_type"] = "llama" });
        Assert.Null(c.TextConfig.SlidingWindow);
        Assert.Equal(11008, c.TextConfig.IntermediateSize);
        var e = Assert.Throws<CheckpointException>(() => Read(new JsonObject { ["model_type"] = "llama", ["sliding_window"] = 64 }));
        Assert.Contains("'text_config.sliding_window'", e.Message);
        Assert.Contains("mistral", e.Message);
    }

    [Theory]
    [InlineData("partial_rotary_factor", 0.5, "partial rotary")]
    [InlineData("sliding_window", 0, "at least 1")]
    public void UnsupportedFamilyFieldsAreRefused(string field, double value, string problem)
    {
        var text = new JsonObject { ["model_type"] = "phi3", [field] = field == "sliding_window" ? JsonValue.Create((int)value) : JsonValue.Create(value) };
        var e = Assert.Throws<CheckpointException>(() => Read(text));
        Assert.Contains($"'text_config.{field}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void TransformersV5RopeParametersGiveRopeTheta()
    {
        var c = Read(new JsonObject { ["model_type"] = "llama", ["rope_parameters"] = new JsonObject { ["rope_type"] = "default", ["rope_theta"] = 500000.0 } });
        Assert.Equal(500000.0, c.TextConfig.RopeTheta);
        var e = Assert.Throws<CheckpointException>(() => Read(new JsonObject
        {
            ["model_type"] = "llama", ["rope_parameters"] = new JsonObject { ["rope_type"] = "llama3", ["rope_theta"] = 500000.0, ["factor"] = 8.0 },
        }));
        Assert.Contains("rope_scaling", e.Message);
    }

    [Theory]
    [InlineData(10000.0)]
    [InlineData(500000.0)]
    [InlineData(1000000.0)]
    public void RotaryFrequenciesFollowRopeTheta(double theta)
    {
        const int headDim = 128;   // Llama-3-8B: head_dim 128, rope_theta 500000
        float[] inv = Rotary.InverseFrequencies(headDim, theta);
        Assert.Equal(headDim / 2, inv.Length);
        for (int i = 0; i < inv.Length; i++)
        {
            double expected = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            Assert.True(Math.Abs(inv[i] - expected) <= 2e-6 * expected, $"inv_freq[{i}] = {inv[i]}, expected {expected}");
        }
    }

    private static LlavaConfig Read(JsonObject textConfig)
    {
        string folder = TinyModels.TempFolder();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyModels.Folder(2), "config.json")))!.AsObject();
        root["text_config"] = textConfig;
        File.WriteAllText(Path.Combine(folder, "config.json"), root.ToJsonString());
        return LlavaConfigFile.Read(folder);
    }
}
