using System.Text.Json.Nodes;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Tests;

/// <summary>config.json reading: HF defaults, required fields, and refusal of absurd sizes before allocation.</summary>
public sealed class ConfigTests
{
    [Fact]
    public void MissingConfigJsonIsNamed()
    {
        var e = Assert.Throws<CheckpointException>(() => LlavaCheckpoint.Load(TinyModels.TempFolder()));
        Assert.Contains("config.json", e.Message);
    }

    [Theory]
    [InlineData("text_config")]
    [InlineData("vision_config")]
    [InlineData("text_config.model_type")]
    [InlineData("vision_config.model_type")]
    public void MissingRequiredFieldIsNamed(string field)
    {
        var e = ReadEdited(root =>
        {
            string[] parts = field.Split('.');
            (parts.Length == 1 ? root : root[parts[0]]!.AsObject()).Remove(parts[^1]);
        });
        Assert.Contains($"'{field}'", e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Theory]
    [InlineData("text_config", "num_attention_heads", 5, "text_config.hidden_size")]
    [InlineData("text_config", "num_key_value_heads", 3, "text_config.num_key_value_heads")]
    [InlineData("text_config", "intermediate_size", -4, "text_config.intermediate_size")]
    [InlineData("vision_config", "patch_size", 7, "vision_config.image_size")]
    [InlineData("text_config", "vocab_size", 2_000_000_000, "text_config.vocab_size")]
    [InlineData("text_config", "hidden_size", "wide", "text_config.hidden_size")]
    public void AbsurdFieldIsNamed(string section, string field, object value, string named)
    {
        var e = ReadEdited(root => root[section]![field] = JsonValue.Create(value));
        Assert.Contains($"'{named}'", e.Message);
    }

    [Fact]
    public void HugeButIndividuallyValidSizesAreRefusedBeforeAllocation()
    {
        var e = ReadEdited(root =>
        {
            root["text_config"]!["hidden_size"] = 65536;
            root["text_config"]!["num_attention_heads"] = 512;
            root["text_config"]!["intermediate_size"] = 4_000_000;
            root["text_config"]!["num_hidden_layers"] = 1000;
        });
        Assert.Contains("refusing to allocate", e.Message);
    }

    [Fact]
    public void SparseLlavaHfConfigGetsHfDefaults()
    {
        string folder = TinyModels.TempFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), """
            { "model_type": "llava", "image_token_index": 32000, "pad_token_id": 32001, "projector_hidden_act": "gelu",
              "text_config": { "_name_or_path": "lmsys/vicuna-7b-v1.5", "model_type": "llama", "max_position_embeddings": 4096,
                               "rms_norm_eps": 1e-05, "torch_dtype": "float16", "vocab_size": 32064 },
              "vision_config": { "hidden_size": 1024, "image_size": 336, "intermediate_size": 4096, "model_type": "clip_vision_model",
                                 "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14, "projection_dim": 768 },
              "vision_feature_layer": -2, "vision_feature_select_strategy": "default", "tie_word_embeddings": false }
            """);
        var c = LlavaConfigFile.Read(folder);
        Assert.Equal(4096, c.TextConfig.HiddenSize);
        Assert.Equal(32, c.TextConfig.NumHiddenLayers);
        Assert.Equal(32, c.TextConfig.NumKeyValueHeads);
        Assert.Equal(128, c.TextConfig.HeadDim);
        Assert.Equal(11008, c.TextConfig.IntermediateSize);
        Assert.Equal(576, c.ImageSeqLength);
        Assert.Equal(23, c.VisionHiddenStateIndex);
        Assert.Equal("quick_gelu", c.VisionConfig.HiddenAct);
        Assert.Equal("vicuna", c.Family);
        Assert.InRange(c.EstimateParameters(), 7.0e9, 7.1e9);
    }

    [Fact]
    public void WrittenConfigReadsBackEqual()
    {
        var spec = TinyModels.Spec(2);
        string folder = TinyModels.TempFolder();
        LlavaConfigFile.Write(folder, spec.ToConfig());
        var read = LlavaConfigFile.Read(folder);
        Assert.Equal(spec.ToConfig().TextConfig, read.TextConfig);
        Assert.Equal(spec.ToConfig().VisionConfig, read.VisionConfig);
        Assert.Equal(16, read.ImageSeqLength);
    }

    private static CheckpointException ReadEdited(Action<JsonObject> edit)
    {
        string folder = TinyModels.TempFolder();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyModels.Folder(2), "config.json")))!.AsObject();
        edit(root);
        File.WriteAllText(Path.Combine(folder, "config.json"), root.ToJsonString());
        var e = Assert.Throws<CheckpointException>(() => LlavaConfigFile.Read(folder));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }
}
