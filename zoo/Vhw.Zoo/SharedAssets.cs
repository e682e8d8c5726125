using System.Text.Json;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;
using Vhw.Zoo.Data;

namespace Vhw.Zoo;

/// <summary>What every zoo member shares: the tokenizer (HF tokenizer.json over the synthetic corpus) and the image processor config.</summary>
public static class SharedAssets
{
    public static readonly string[] Files = [LlavaTokenizer.FileName, LlavaTokenizer.ConfigFileName, Vhw.Modeling.Processing.ClipImageProcessor.ConfigFileName];

    /// <summary>Writes tokenizer.json / tokenizer_config.json (corpus: every question and answer of the data, all four templates) and preprocessor_config.json.</summary>
    public static void Write(string folder, IEnumerable<string> dataFolders)
    {
        if (Files.All(f => File.Exists(Path.Combine(folder, f)))) return;
        Directory.CreateDirectory(folder);
        var corpus = dataFolders.SelectMany(d => BenchmarkReader.Read(d).OfType<BenchmarkSample>())
            .SelectMany(s => new[] { s.Question, s.Answer })
            .Concat(new[] { "vicuna", "llama3", "mistral", "phi3" }.SelectMany(f => ConversationTemplate.ForFamily(f).CorpusText()))
            .Concat(Captions.Instructions);
        TinyTokenizerWriter.Write(folder, corpus);
        WritePreprocessorConfig(Path.Combine(folder, Vhw.Modeling.Processing.ClipImageProcessor.ConfigFileName), World.ImageSize);
    }

    /// <summary>CLIP image processor settings for <paramref name="size"/>-pixel images (resize + centre crop to size, OpenAI mean/std).</summary>
    public static void WritePreprocessorConfig(string path, int size)
    {
        var config = new Dictionary<string, object>
        {
            ["crop_size"] = new Dictionary<string, int> { ["height"] = size, ["width"] = size },
            ["do_center_crop"] = true, ["do_convert_rgb"] = true, ["do_normalize"] = true, ["do_rescale"] = true, ["do_resize"] = true,
            ["image_mean"] = Vhw.Modeling.Processing.ClipImageProcessorConfig.ClipMean,
            ["image_processor_type"] = "CLIPImageProcessor",
            ["image_std"] = Vhw.Modeling.Processing.ClipImageProcessorConfig.ClipStd,
            ["processor_class"] = "LlavaProcessor", ["resample"] = 3, ["rescale_factor"] = 1.0 / 255.0,
            ["size"] = new Dictionary<string, int> { ["shortest_edge"] = size },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static void CopyTo(string sharedFolder, string modelFolder)
    {
        foreach (var f in Files) File.Copy(Path.Combine(sharedFolder, f), Path.Combine(modelFolder, f), overwrite: true);
    }
}
