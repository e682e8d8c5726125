using Vhw.Modeling.Configs;
using Vhw.Modeling.Llava;
using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>Loads and saves HF llava checkpoint folders (config.json + safetensors).</summary>
public static class LlavaCheckpoint
{
    /// <summary>
    /// Loads <paramref name="folder"/>: validates config.json, locates the safetensors (single or sharded; pickle refused),
    /// checks every key and shape against the model built on the meta device (no memory), then allocates the model in
    /// <paramref name="dtype"/> on <paramref name="device"/> (CPU when null) and copies the weights in. Returns it in eval mode.
    /// </summary>
    public static LoadedLlava Load(string folder, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var config = LlavaConfigFile.Read(folder);
        var files = CheckpointFiles.Locate(folder);
        var opened = new List<SafeTensorsFile>();
        LlavaForConditionalGeneration? model = null;
        try
        {
            foreach (string file in files.Files)
                opened.Add(new SafeTensorsFile(file));
            var plan = StrictWeightLoader.Plan(files, opened, ExpectedShapes(config, dtype), config.TiesWordEmbeddings);
            var hashTask = Task.Run(() => WeightsHash.Compute(files.Files));
            model = new LlavaForConditionalGeneration(config, dtype, device ?? CPU);
            StrictWeightLoader.Load(plan, model);
            if (plan.TiedLmHead)
                model.TieLmHeadToEmbeddings();
            model.eval();
            long count = model.named_parameters()
                .Where(p => !(plan.TiedLmHead && p.name == StrictWeightLoader.LmHeadName))
                .Sum(p => p.parameter.numel());
            return new LoadedLlava(config, model, hashTask.GetAwaiter().GetResult(), count, folder);
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            foreach (var file in opened) file.Dispose();
        }
    }

    /// <summary>Parameter name → shape for <paramref name="config"/>, from a model built on the meta device (allocates nothing).</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(LlavaConfig config, ScalarType dtype = ScalarType.Float32)
    {
        using var meta = new LlavaForConditionalGeneration(config, dtype, new Device(TorchSharp.DeviceType.META));
        return meta.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes config.json and model.safetensors (parameters in their current dtype, keys in <paramref name="layout"/>,
    /// metadata format=pt). Deterministic for the same model and config.
    /// </summary>
    public static void Save(string folder, LlavaConfig config, LlavaForConditionalGeneration model, CheckpointLayout layout = CheckpointLayout.Legacy)
    {
        Directory.CreateDirectory(folder);
        LlavaConfigFile.Write(folder, config);
        var tensors = model.named_parameters()
            .Select(p => new KeyValuePair<string, Tensor>(CheckpointKeyMap.ToCheckpointKey(p.name, layout), p.parameter));
        SafeTensorsWriter.Write(Path.Combine(folder, CheckpointFiles.SingleFile), tensors,
            new Dictionary<string, string> { ["format"] = "pt" });
    }
}
