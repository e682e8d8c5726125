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

    /// <summary>Standard deviation of the initial matrices and embeddings (GPT-2's 0.02).</summary>
    public const double MatrixStd = 0.02;

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
                    ? MatrixStd / Math.Sqrt(2 * layers) : MatrixStd;
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

    /// <summary>
    /// Writes the HF llava folder: config.json (torch_dtype float16) + model.safetensors in fp16 (legacy llava-hf keys).
    /// Phi-3 members are written as HF Phi-3 stores them: q/k/v rows fused into qkv_proj, gate/up into gate_up_proj.
    /// </summary>
    public static void ExportFp16(string folder, LlavaConfig config, LlavaForConditionalGeneration model)
    {
        if (config.TextConfig.ModelType != "phi3")
        {
            model.to(ScalarType.Float16);
            LlavaCheckpoint.Save(folder, config with { TorchDtype = "float16" }, model, CheckpointLayout.Legacy);
            model.to(ScalarType.Float32);
            return;
        }
        Directory.CreateDirectory(folder);
        LlavaConfigFile.Write(folder, config with { TorchDtype = "float16" });
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, p) in model.named_parameters())
        {
            if (done.Contains(name)) continue;
            var (fused, parts) = Fusion(name);
            if (fused is null) { tensors.Add(new(CheckpointKeyMap.ToCheckpointKey(name, CheckpointLayout.Legacy), p.to(ScalarType.Float16))); continue; }
            tensors.Add(new(CheckpointKeyMap.ToCheckpointKey(fused, CheckpointLayout.Legacy), cat(parts!.Select(n => parameters[n]).ToList(), 0).to(ScalarType.Float16)));
            done.UnionWith(parts!);
        }
        SafeTensorsWriter.Write(Path.Combine(folder, CheckpointFiles.SingleFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>For q/k/v or gate/up parameter names: the fused name and its parts in row order (CheckpointKeyMap.FusedParts' inverse).</summary>
    static (string? Fused, string[]? Parts) Fusion(string name)
    {
        foreach (var (part, fused) in new[] { (".self_attn.q_proj.weight", ".self_attn.qkv_proj.weight"), (".mlp.gate_proj.weight", ".mlp.gate_up_proj.weight") })
            if (name.StartsWith("model.language_model.", StringComparison.Ordinal) && name.EndsWith(part, StringComparison.Ordinal))
            {
                string f = name[..^part.Length] + fused;
                return (f, CheckpointKeyMap.FusedParts(f));
            }
        return (null, null);
    }
}
