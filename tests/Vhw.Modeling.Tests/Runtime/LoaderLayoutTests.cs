using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TorchSharp;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>Legacy and new key layouts, sharded checkpoints, dtypes and the weights hash.</summary>
public sealed class LoaderLayoutTests
{
    [Fact]
    public void LegacyAndNewLayoutsGiveIdenticalLogits()
    {
        var legacy = TinyModels.Model(2);
        string newFolder = TinyModels.TempFolder();
        LlavaCheckpoint.Save(newFolder, legacy.Config, legacy.Model, CheckpointLayout.New);
        using (var file = new SafeTensorsFile(Path.Combine(newFolder, "model.safetensors")))
        {
            Assert.Contains("lm_head.weight", file.Tensors.Keys);
            Assert.Contains("model.language_model.layers.0.self_attn.q_proj.weight", file.Tensors.Keys);
            Assert.Contains("model.vision_tower.vision_model.pre_layrnorm.weight", file.Tensors.Keys);
        }
        using (var legacyFile = new SafeTensorsFile(Path.Combine(legacy.Folder, "model.safetensors")))
            Assert.Contains("language_model.model.layers.0.self_attn.q_proj.weight", legacyFile.Tensors.Keys);

        using var reloaded = LlavaCheckpoint.Load(newFolder);
        AssertSameLogits(legacy.Model, reloaded.Model);
        Assert.Equal(legacy.ParameterCount, reloaded.ParameterCount);
    }

    [Fact]
    public void ShardedIndexLoadsIdentically()
    {
        var single = TinyModels.Model(4);
        string folder = TinyModels.CopyOf(single.Folder);
        string original = Path.Combine(folder, "model.safetensors");
        var tensors = SafeTensorsSurgery.ReadAll(original);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var first = names.Take(names.Count / 2).ToHashSet();
        var map = new JsonObject();
        foreach (string name in names)
            map[name] = first.Contains(name) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        SafeTensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), tensors.Where(t => first.Contains(t.Key)));
        SafeTensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), tensors.Where(t => !first.Contains(t.Key)));
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
            new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map }.ToJsonString());
        File.Delete(original);
        foreach (var t in tensors.Values) t.Dispose();

        using var sharded = LlavaCheckpoint.Load(folder);
        AssertSameLogits(single.Model, sharded.Model);
        var shardFiles = Directory.GetFiles(folder, "model-0000*.safetensors").Order(StringComparer.Ordinal);
        Assert.Equal(Sha256Of(shardFiles), sharded.WeightsSha256);
    }

    [Fact]
    public void WeightsHashIsSha256OfTheFile()
    {
        var loaded = TinyModels.Model(2);
        Assert.Equal(Sha256Of([Path.Combine(loaded.Folder, "model.safetensors")]), loaded.WeightsSha256);
        Assert.Equal(loaded.Model.named_parameters().Sum(p => p.parameter.numel()), loaded.ParameterCount);
        Assert.False(loaded.Model.training);
    }

    [Fact]
    public void TiedCheckpointWithoutLmHeadUsesTheEmbeddings()
    {
        var source = TinyModels.Model(2);
        string folder = TinyModels.CopyOf(source.Folder);
        string configPath = Path.Combine(folder, "config.json");
        var root = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        root["text_config"]!["tie_word_embeddings"] = true;
        File.WriteAllText(configPath, root.ToJsonString());
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), t => { t["language_model.lm_head.weight"].Dispose(); t.Remove("language_model.lm_head.weight"); });

        using var tied = LlavaCheckpoint.Load(folder);
        var p = tied.Model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.True(TinyModels.Same(p["lm_head.weight"], p["model.language_model.embed_tokens.weight"]));
        Assert.Equal(source.ParameterCount - TinyModels.Vocab * 64, tied.ParameterCount);
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void HalfPrecisionFilesLoadIntoFloat32(ScalarType fileDtype)
    {
        var source = TinyModels.Model(2);
        string folder = TinyModels.CopyOf(source.Folder);
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), tensors =>
        {
            foreach (var key in tensors.Keys.ToList())
                tensors[key] = tensors[key].to(fileDtype);
        });
        using var loaded = LlavaCheckpoint.Load(folder);
        using var noGrad = no_grad();
        var expected = source.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.Model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            using var rounded = expected[name].to(fileDtype).to(ScalarType.Float32);
            Assert.True(TinyModels.Same(rounded, parameter), $"{name} differs from the {fileDtype} rounding");
        }
    }

    [Fact]
    public void WriterRoundTripsDtypesAndShapes()
    {
        string path = Path.Combine(TinyModels.TempFolder(), "x.safetensors");
        using var a = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        using var b = arange(6, dtype: ScalarType.Float32).to(ScalarType.BFloat16);
        using var c = tensor(new long[] { 5, -7 });
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a, ["c"] = c },
            new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Equal(0UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)) % 8);
        using var file = new SafeTensorsFile(path);
        Assert.Equal(["a", "b", "c"], file.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("BF16", file.Tensors["b"].Dtype);
        using var ra = file.Read("a");
        using var rb = file.Read("b");
        using var rc = file.Read("c");
        Assert.True(TinyModels.Same(ra, a) && TinyModels.Same(rb, b) && TinyModels.Same(rc, c));
        Assert.Equal([3L, 4L], file.Tensors["a"].Shape);
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

    private static string Sha256Of(IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string f in files) sha.AppendData(File.ReadAllBytes(f));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
