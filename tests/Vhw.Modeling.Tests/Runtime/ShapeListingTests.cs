using Vhw.Modeling.Default;
using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Tests;

/// <summary>
/// Approved key + shape listing of a one-layer tiny model in the legacy llava-hf layout (the layout of the
/// llava-hf checkpoints on the Hub). A renamed module field shows up here as a diff.
/// </summary>
public sealed class ShapeListingTests
{
    private const string Approved = """
        language_model.lm_head.weight [320, 64]
        language_model.model.embed_tokens.weight [320, 64]
        language_model.model.layers.0.input_layernorm.weight [64]
        language_model.model.layers.0.mlp.down_proj.weight [64, 128]
        language_model.model.layers.0.mlp.gate_proj.weight [128, 64]
        language_model.model.layers.0.mlp.up_proj.weight [128, 64]
        language_model.model.layers.0.post_attention_layernorm.weight [64]
        language_model.model.layers.0.self_attn.k_proj.weight [32, 64]
        language_model.model.layers.0.self_attn.o_proj.weight [64, 64]
        language_model.model.layers.0.self_attn.q_proj.weight [64, 64]
        language_model.model.layers.0.self_attn.v_proj.weight [32, 64]
        language_model.model.norm.weight [64]
        multi_modal_projector.linear_1.bias [64]
        multi_modal_projector.linear_1.weight [64, 32]
        multi_modal_projector.linear_2.bias [64]
        multi_modal_projector.linear_2.weight [64, 64]
        vision_tower.vision_model.embeddings.class_embedding [32]
        vision_tower.vision_model.embeddings.patch_embedding.weight [32, 3, 8, 8]
        vision_tower.vision_model.embeddings.position_embedding.weight [17, 32]
        vision_tower.vision_model.encoder.layers.0.layer_norm1.bias [32]
        vision_tower.vision_model.encoder.layers.0.layer_norm1.weight [32]
        vision_tower.vision_model.encoder.layers.0.layer_norm2.bias [32]
        vision_tower.vision_model.encoder.layers.0.layer_norm2.weight [32]
        vision_tower.vision_model.encoder.layers.0.mlp.fc1.bias [64]
        vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight [64, 32]
        vision_tower.vision_model.encoder.layers.0.mlp.fc2.bias [32]
        vision_tower.vision_model.encoder.layers.0.mlp.fc2.weight [32, 64]
        vision_tower.vision_model.encoder.layers.0.self_attn.k_proj.bias [32]
        vision_tower.vision_model.encoder.layers.0.self_attn.k_proj.weight [32, 32]
        vision_tower.vision_model.encoder.layers.0.self_attn.out_proj.bias [32]
        vision_tower.vision_model.encoder.layers.0.self_attn.out_proj.weight [32, 32]
        vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.bias [32]
        vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight [32, 32]
        vision_tower.vision_model.encoder.layers.0.self_attn.v_proj.bias [32]
        vision_tower.vision_model.encoder.layers.0.self_attn.v_proj.weight [32, 32]
        vision_tower.vision_model.post_layernorm.bias [32]
        vision_tower.vision_model.post_layernorm.weight [32]
        vision_tower.vision_model.pre_layrnorm.bias [32]
        vision_tower.vision_model.pre_layrnorm.weight [32]
        """;

    [Fact]
    public void MetaModelKeysAndShapesMatchTheLegacyLayout()
    {
        var config = (TinyModels.Spec(2) with { TextLayers = 1, VisionLayers = 1 }).ToConfig();
        var listing = LlavaCheckpoint.ExpectedShapes(config)
            .Select(p => $"{CheckpointKeyMap.ToCheckpointKey(p.Key, CheckpointLayout.Legacy)} [{string.Join(", ", p.Value)}]")
            .Order(StringComparer.Ordinal);
        Assert.Equal(Approved.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0), listing);
    }

    [Fact]
    public void WrittenTinyCheckpointHoldsExactlyTheModelKeys()
    {
        using var file = new SafeTensorsFile(Path.Combine(TinyModels.Folder(2), "model.safetensors"));
        var expected = LlavaCheckpoint.ExpectedShapes(TinyModels.Spec(2).ToConfig());
        Assert.Equal(expected.Keys.Select(k => CheckpointKeyMap.ToCheckpointKey(k, CheckpointLayout.Legacy)).Order(StringComparer.Ordinal),
            file.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
            Assert.Equal(shape, file.Tensors[CheckpointKeyMap.ToCheckpointKey(name, CheckpointLayout.Legacy)].Shape);
    }

    [Theory]
    [InlineData("language_model.model.layers.3.mlp.up_proj.weight", "model.language_model.layers.3.mlp.up_proj.weight")]
    [InlineData("language_model.lm_head.weight", "lm_head.weight")]
    [InlineData("vision_tower.vision_model.pre_layrnorm.weight", "model.vision_tower.vision_model.pre_layrnorm.weight")]
    [InlineData("multi_modal_projector.linear_2.bias", "model.multi_modal_projector.linear_2.bias")]
    public void KeyMapTranslatesBothWays(string legacy, string modelName)
    {
        Assert.Equal(modelName, CheckpointKeyMap.ToModelName(legacy));
        Assert.Equal(modelName, CheckpointKeyMap.ToModelName(modelName));
        Assert.Equal(legacy, CheckpointKeyMap.ToCheckpointKey(modelName, CheckpointLayout.Legacy));
        Assert.Equal(modelName, CheckpointKeyMap.ToCheckpointKey(modelName, CheckpointLayout.New));
        Assert.True(CheckpointKeyMap.IsIgnored("language_model.model.layers.0.self_attn.rotary_emb.inv_freq"));
    }
}
