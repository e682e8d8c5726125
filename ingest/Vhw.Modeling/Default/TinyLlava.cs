using System.Text.Json;
using TorchSharp;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Default;

/// <summary>
/// Writes a deterministic random-init tiny LLaVA in the HF llava folder format: config.json (llava schema),
/// model.safetensors (legacy llava-hf keys) and a CLIP-style preprocessor_config.json. tokenizer.json is not written.
/// </summary>
public static class TinyLlava
{
    public const string PreprocessorFileName = "preprocessor_config.json";
    private static readonly double[] ClipMean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] ClipStd = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>Creates the folder content; the same spec always gives the same bytes.</summary>
    public static void Create(string folder, TinyLlavaSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = spec.ToConfig();
        config.Validate(Path.Combine(folder, LlavaConfigFile.FileName));
        using var model = new LlavaForConditionalGeneration(config, ScalarType.Float32, CPU);
        Initialize(model, spec.Seed);
        LlavaCheckpoint.Save(folder, config, model, CheckpointLayout.Legacy);
        WritePreprocessorConfig(folder, spec.ImageSize);
    }

    /// <summary>
    /// Seeded init, parameters in name order: norm weights 1 + 0.1·N(0,1); biases 0.1·N(0,1); embeddings and the CLS
    /// token N(0,1); other matrices N(0, 1/fan_in) so activations and attention logits keep unit scale.
    /// </summary>
    public static void Initialize(nn.Module model, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            var noise = randn(parameter.shape, ScalarType.Float32, CPU, generator: generator);
            bool norm = name.Contains("norm", StringComparison.Ordinal);
            Tensor value = name.EndsWith(".bias", StringComparison.Ordinal) ? noise * 0.1
                : norm ? noise * 0.1 + 1.0
                : name.Contains("embed", StringComparison.Ordinal) ? noise
                : noise / Math.Sqrt(parameter.numel() / parameter.shape[0]);
            parameter.copy_(value);
        }
    }

    private static void WritePreprocessorConfig(string folder, int imageSize)
    {
        var options = new JsonWriterOptions { Indented = true };
        using var stream = new FileStream(Path.Combine(folder, PreprocessorFileName), FileMode.Create);
        using var json = new Utf8JsonWriter(stream, options);
        json.WriteStartObject();
        json.WriteStartObject("crop_size");
        json.WriteNumber("height", imageSize);
        json.WriteNumber("width", imageSize);
        json.WriteEndObject();
        json.WriteBoolean("do_center_crop", true);
        json.WriteBoolean("do_convert_rgb", true);
        json.WriteBoolean("do_normalize", true);
        json.WriteBoolean("do_rescale", true);
        json.WriteBoolean("do_resize", true);
        WriteArray(json, "image_mean", ClipMean);
        json.WriteString("image_processor_type", "CLIPImageProcessor");
        WriteArray(json, "image_std", ClipStd);
        json.WriteString("processor_class", "LlavaProcessor");
        json.WriteNumber("resample", 3);
        json.WriteNumber("rescale_factor", 1.0 / 255.0);
        json.WriteStartObject("size");
        json.WriteNumber("shortest_edge", imageSize);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (double v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
