using System.Text.Json.Nodes;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests.Fidelity;

/// <summary>
/// Checkpoint layouts beyond llava-hf: Phi-3's fused qkv_proj / gate_up_proj (split at load time by the one key map)
/// and the original LLaVA repository's key names.
/// </summary>
public sealed class CheckpointVariantTests
{
    private const string Layer0 = "language_model.model.layers.0.";

    [Fact]
    public void Phi3FusedCheckpointGivesIdenticalLogitsToUnfused()
    {
        var unfused = TinyModels.Model(2);
        string folder = FusedCopy(unfused.Folder);
        using (var file = new SafeTensorsFile(Path.Combine(folder, "model.safetensors")))
        {
            Assert.Contains(Layer0 + "self_attn.qkv_proj.weight", file.Tensors.Keys);
            Assert.Contains(Layer0 + "mlp.gate_up_proj.weight", file.Tensors.Keys);
            Assert.DoesNotContain(Layer0 + "self_attn.k_proj.weight", file.Tensors.Keys);
        }

        using var fused = LlavaCheckpoint.Load(folder);

        Assert.Equal("phi3", fused.Config.TextConfig.ModelType);
        Assert.Equal("phi3", fused.Config.Family);
        Assert.Equal(unfused.ParameterCount, fused.ParameterCount);
        var expected = unfused.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in fused.Model.named_parameters())
            Assert.True(TinyModels.Same(expected[name], parameter), $"{name} differs after the split");
        AssertSameLogits(unfused.Model, fused.Model);
    }

    [Fact]
    public void FusedTensorWithWrongRowsIsNamed()
    {
        string folder = FusedCopy(TinyModels.Folder(2));
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), t =>
        {
            string key = Layer0 + "self_attn.qkv_proj.weight";
            var shorter = t[key].narrow(0, 0, t[key].shape[0] - 16).clone();
            t[key].Dispose();
            t[key] = shorter;
        });
        var e = Assert.Throws<CheckpointException>(() => LlavaCheckpoint.Load(folder));
        Assert.Contains("qkv_proj.weight", e.Message);
        Assert.Contains("fused shape [112, 64]", e.Message);
        Assert.Contains("rows 64 + 32 + 32", e.Message);
    }

    [Fact]
    public void FusedAndSeparateWeightsTogetherAreDuplicates()
    {
        string folder = FusedCopy(TinyModels.Folder(2));
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), t =>
            t[Layer0 + "self_attn.k_proj.weight"] = zeros(32, 64));
        var e = Assert.Throws<CheckpointException>(() => LlavaCheckpoint.Load(folder));
        Assert.Contains("duplicates", e.Message);
        Assert.Contains("k_proj.weight", e.Message);
    }

    [Fact]
    public void OriginalLlavaRepositoryLayoutLoadsIdentically()
    {
        var source = TinyModels.Model(4);
        string folder = TinyModels.TempFolder();
        LlavaCheckpoint.Save(folder, source.Config, source.Model, CheckpointLayout.Original);
        using (var file = new SafeTensorsFile(Path.Combine(folder, "model.safetensors")))
        {
            var keys = file.Tensors.Keys.ToHashSet();
            Assert.Contains("model.layers.0.self_attn.q_proj.weight", keys);
            Assert.Contains("model.embed_tokens.weight", keys);
            Assert.Contains("model.norm.weight", keys);
            Assert.Contains("lm_head.weight", keys);
            Assert.Contains("model.mm_projector.0.weight", keys);
            Assert.Contains("model.mm_projector.2.bias", keys);
            Assert.Contains("model.vision_tower.vision_tower.vision_model.pre_layrnorm.weight", keys);
            Assert.All(keys.Where(k => k != "lm_head.weight"), k => Assert.Equal(CheckpointLayout.Original, CheckpointKeyMap.LayoutOf(k)));
        }

        using var loaded = LlavaCheckpoint.Load(folder);
        AssertSameLogits(source.Model, loaded.Model);
    }

    [Fact]
    public void MissingTensorOfAnOriginalCheckpointIsNamedInItsLayout()
    {
        var source = TinyModels.Model(4);
        string folder = TinyModels.TempFolder();
        LlavaCheckpoint.Save(folder, source.Config, source.Model, CheckpointLayout.Original);
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), t =>
        {
            t["model.mm_projector.2.weight"].Dispose();
            t.Remove("model.mm_projector.2.weight");
        });
        var e = Assert.Throws<CheckpointException>(() => LlavaCheckpoint.Load(folder));
        Assert.Contains("model.mm_projector.2.weight", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Theory]
    [InlineData("model.layers.3.mlp.up_proj.weight", "model.language_model.layers.3.mlp.up_proj.weight")]
    [InlineData("model.mm_projector.0.bias", "model.multi_modal_projector.linear_1.bias")]
    [InlineData("model.vision_tower.vision_tower.vision_model.encoder.layers.1.fc1.weight", "model.vision_tower.vision_model.encoder.layers.1.fc1.weight")]
    [InlineData("lm_head.weight", "lm_head.weight")]
    public void OriginalKeysMapBothWays(string original, string modelName)
    {
        Assert.Equal(modelName, CheckpointKeyMap.ToModelName(original));
        Assert.Equal(original, CheckpointKeyMap.ToCheckpointKey(modelName, CheckpointLayout.Original));
        Assert.Equal(modelName, CheckpointKeyMap.ToModelName(modelName));
    }

    [Fact]
    public void FusedPartsAreListedInRowOrder()
    {
        Assert.Equal(["m.layers.2.self_attn.q_proj.weight", "m.layers.2.self_attn.k_proj.weight", "m.layers.2.self_attn.v_proj.weight"],
            CheckpointKeyMap.FusedParts("m.layers.2.self_attn.qkv_proj.weight"));
        Assert.Equal(["m.layers.0.mlp.gate_proj.weight", "m.layers.0.mlp.up_proj.weight"], CheckpointKeyMap.FusedParts("m.layers.0.mlp.gate_up_proj.weight"));
        Assert.Null(CheckpointKeyMap.FusedParts("m.layers.0.mlp.up_proj.weight"));
    }

    /// <summary>Copy of a legacy tiny checkpoint rewritten as Phi-3: fused weights, text_config.model_type "phi3".</summary>
    private static string FusedCopy(string source)
    {
        string folder = TinyModels.CopyOf(source);
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), t =>
        {
            foreach (string stem in t.Keys.Where(k => k.EndsWith(".self_attn.q_proj.weight", StringComparison.Ordinal))
                         .Select(k => k[..^"q_proj.weight".Length]).ToList())
                Fuse(t, stem + "qkv_proj.weight", stem + "q_proj.weight", stem + "k_proj.weight", stem + "v_proj.weight");
            foreach (string stem in t.Keys.Where(k => k.EndsWith(".mlp.gate_proj.weight", StringComparison.Ordinal))
                         .Select(k => k[..^"gate_proj.weight".Length]).ToList())
                Fuse(t, stem + "gate_up_proj.weight", stem + "gate_proj.weight", stem + "up_proj.weight");
        });
        string configPath = Path.Combine(folder, "config.json");
        var root = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        root["text_config"]!["model_type"] = "phi3";
        File.WriteAllText(configPath, root.ToJsonString());
        return folder;
    }

    private static void Fuse(Dictionary<string, Tensor> tensors, string fused, params string[] parts)
    {
        tensors[fused] = cat(parts.Select(p => tensors[p]).ToArray(), 0);
        foreach (string p in parts)
        {
            tensors[p].Dispose();
            tensors.Remove(p);
        }
    }

    private static void AssertSameLogits(LlavaForConditionalGeneration expected, LlavaForConditionalGeneration actual)
    {
        using var pixels = TinyModels.Pixels();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = expected.forward(new LlavaForwardInput(TinyModels.Prompt, pixels)).Logits;
        var b = actual.forward(new LlavaForwardInput(TinyModels.Prompt, pixels)).Logits;
        Assert.True(TinyModels.Same(a, b), "logits differ");
    }
}
