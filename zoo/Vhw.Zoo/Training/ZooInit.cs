using TorchSharp;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Zoo.Training;

/// <summary>Initialisation and export of zoo members.</summary>
public static class ZooInit
{
    public const string VisionPrefix = "model.vision_tower.";

    /// <summary>
    /// GPT-2 style seeded init (parameters in name order): matrices and embeddings N(0, 0.02), the residual outputs
    /// (o_proj, down_proj) N(0, 0.02/√(2L)), norms 1, biases 0; then the shared vision tower's weights copied in.
    /// </summary>
    public static void Initialise(LlavaForConditionalGeneration model, long seed, ClipVisionModel tower)
    {
        int layers = model.Config.TextConfig.NumHiddenLayers;
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.Contains("norm", StringComparison.Ordinal)) p.fill_(1.0);
            else
            {
                double std = name.Contains("o_proj", StringComparison.Ordinal) || name.Contains("down_proj", StringComparison.Ordinal)
                    ? 0.02 / Math.Sqrt(2 * layers) : 0.02;
                p.copy_(randn(p.shape, ScalarType.Float32, CPU, generator: generator) * std);
            }
        }
        CopyVisionTower(model, tower);
    }

    /// <summary>Copies every parameter of <paramref name="tower"/> into the model's vision_tower (names must match one to one).</summary>
    public static void CopyVisionTower(LlavaForConditionalGeneration model, ClipVisionModel tower)
    {
        var target = model.named_parameters().Where(p => p.name.StartsWith(VisionPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.name[VisionPrefix.Length..], p => p.parameter);
        var source = tower.named_parameters().ToList();
        if (source.Count != target.Count) throw new InvalidOperationException($"vision tower has {source.Count} parameters, the model {target.Count}");
        using var noGrad = no_grad();
        foreach (var (name, p) in source) target[name].copy_(p);
    }

    /// <summary>Writes the HF llava folder: config.json (torch_dtype float16) + model.safetensors in fp16 (legacy llava-hf keys).</summary>
    public static void ExportFp16(string folder, LlavaConfig config, LlavaForConditionalGeneration model)
    {
        model.to(ScalarType.Float16);
        LlavaCheckpoint.Save(folder, config with { TorchDtype = "float16" }, model, CheckpointLayout.Legacy);
        model.to(ScalarType.Float32);
    }
}
