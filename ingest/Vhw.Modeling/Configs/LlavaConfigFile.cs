using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Configs;

/// <summary>Reads and writes the HF llava <c>config.json</c>, with one-line errors naming file and field.</summary>
public static class LlavaConfigFile
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Fields HF would silently default to a full-size model; we require them instead.</summary>
    private static readonly string[] RequiredPaths =
        ["text_config", "vision_config", "text_config.model_type", "vision_config.model_type"];

    /// <summary>Reads and validates <c>folder/config.json</c>.</summary>
    public static LlavaConfig Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new CheckpointException(path, "missing config.json (expected an HF llava checkpoint folder)");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }) as JsonObject ?? throw new CheckpointException(path, "config.json is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"invalid JSON ({e.Message.Split('\n')[0]})", inner: e);
        }
        CheckRequired(path, root);
        TextConfigDefaults.Apply(root["text_config"]!.AsObject());
        // newer HF files may spell the placeholder id "image_token_id"
        if (!root.ContainsKey("image_token_index") && root["image_token_id"] is { } alias)
            root["image_token_index"] = alias.DeepClone();
        if (root["vision_feature_layer"] is JsonArray)
            throw new CheckpointException(path, "config field 'vision_feature_layer': lists of layers are not supported");
        LlavaConfig config;
        try
        {
            config = root.Deserialize<LlavaConfig>(ReadOptions)
                ?? throw new CheckpointException(path, "config.json deserialized to null");
        }
        catch (JsonException e)
        {
            string field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new CheckpointException(path, $"config field '{field}' has an invalid value ({e.Message.Split('\n')[0]})", inner: e);
        }
        config.Validate(path);
        return config;
    }

    /// <summary>Writes <c>folder/config.json</c> (deterministic: fixed property order, invariant numbers).</summary>
    public static void Write(string folder, LlavaConfig config)
    {
        Directory.CreateDirectory(folder);
        string json = JsonSerializer.Serialize(config, WriteOptions) + "\n";
        File.WriteAllText(Path.Combine(folder, FileName), json.ReplaceLineEndings("\n"));
    }

    private static void CheckRequired(string path, JsonObject root)
    {
        foreach (string required in RequiredPaths)
        {
            JsonNode? node = root;
            foreach (string part in required.Split('.'))
                node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
            if (node is null)
                throw new CheckpointException(path, $"config field '{required}' is missing");
        }
        foreach (string sub in new[] { "text_config", "vision_config" })
            if (root[sub] is not JsonObject)
                throw new CheckpointException(path, $"config field '{sub}' must be a JSON object");
    }
}
