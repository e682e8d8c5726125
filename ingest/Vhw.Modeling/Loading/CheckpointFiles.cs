using System.Text.Json;

namespace Vhw.Modeling.Loading;

/// <summary>
/// Finds the safetensors weights of a checkpoint folder: <c>model.safetensors</c>, or the shards listed by
/// <c>model.safetensors.index.json</c> (weight_map). Pickle checkpoints are refused and never opened.
/// </summary>
public sealed record CheckpointFiles(string Folder, IReadOnlyList<string> Files, string? IndexFile, IReadOnlyDictionary<string, string>? WeightMap)
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";
    private static readonly string[] PickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle"];

    /// <summary>Locates the weight files (sorted by name, ordinal).</summary>
    public static CheckpointFiles Locate(string folder)
    {
        if (!Directory.Exists(folder))
            throw new CheckpointException(folder, "checkpoint folder not found");
        string index = Path.Combine(folder, IndexFileName);
        if (File.Exists(index))
            return FromIndex(folder, index);
        string single = Path.Combine(folder, SingleFile);
        if (File.Exists(single))
            return new CheckpointFiles(folder, [single], null, null);

        var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var shards = names.Where(n => n.EndsWith(".safetensors", StringComparison.Ordinal)).ToList();
        if (shards.Count > 0)
            throw new CheckpointException(folder,
                $"found {string.Join(", ", shards)} but neither {SingleFile} nor {IndexFileName}; cannot tell which files form the model");
        var pickles = names.Where(n => PickleExtensions.Any(e => n.EndsWith(e, StringComparison.OrdinalIgnoreCase))
                                     || n.StartsWith("pytorch_model", StringComparison.Ordinal)).ToList();
        if (pickles.Count > 0)
            throw new CheckpointException(folder,
                $"only pickle checkpoints found ({string.Join(", ", pickles)}); refusing to load them because unpickling can execute arbitrary code. " +
                "Convert the weights to safetensors (model.safetensors) first");
        throw new CheckpointException(folder, $"no {SingleFile} or {IndexFileName} in the folder");
    }

    private static CheckpointFiles FromIndex(string folder, string index)
    {
        Dictionary<string, string> map;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var wm) || wm.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(index, "missing 'weight_map' object");
            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in wm.EnumerateObject())
            {
                string shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                if (shard.Length == 0 || Path.GetFileName(shard) != shard || !shard.EndsWith(".safetensors", StringComparison.Ordinal))
                    throw new CheckpointException(index, $"weight_map entry names an invalid shard '{shard}'", entry.Name);
                map[entry.Name] = shard;
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointException(index, $"invalid JSON ({e.Message.Split('\n')[0]})", inner: e);
        }
        var files = map.Values.Distinct().Order(StringComparer.Ordinal).Select(s => Path.Combine(folder, s)).ToList();
        foreach (string file in files)
            if (!File.Exists(file))
                throw new CheckpointException(index, $"shard '{Path.GetFileName(file)}' listed in weight_map is missing",
                    map.First(kv => Path.Combine(folder, kv.Value) == file).Key);
        return new CheckpointFiles(folder, files, index, map);
    }

    /// <summary>Display name for messages about the checkpoint as a whole (index file or the single file).</summary>
    public string Describe() => IndexFile ?? Files[0];
}
