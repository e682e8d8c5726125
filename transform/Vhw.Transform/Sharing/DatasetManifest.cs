using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Vhw.Transform.Sharing;

/// <summary>One file of a shared dataset: path relative to the dataset folder ('/'-separated), size, SHA-256, rows (NULL for documents).</summary>
public sealed record DatasetFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("table")] string? Table,
    [property: JsonPropertyName("rows")] long? Rows,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>Rows and files of one raw table in a dataset.</summary>
public sealed record DatasetTable([property: JsonPropertyName("files")] int Files, [property: JsonPropertyName("rows")] long Rows);

/// <summary>
/// manifest.json of a dataset folder written by <see cref="DatasetExporter"/>: every Parquet file with its table, row
/// count and SHA-256, the per-table totals, and the documents (schema.sql, DATASET.md) with their SHA-256.
/// </summary>
public sealed partial record DatasetManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("tables")] IReadOnlyDictionary<string, DatasetTable> Tables,
    [property: JsonPropertyName("files")] IReadOnlyList<DatasetFile> Files,
    [property: JsonPropertyName("documents")] IReadOnlyList<DatasetFile> Documents)
{
    public const string FileName = "manifest.json";
    public const string SchemaFileName = "schema.sql";
    public const string CardFileName = "DATASET.md";
    public const string FormatName = "vhw-dataset";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads and checks the envelope; throws <see cref="DatasetRefusedException"/> for anything unreadable.</summary>
    public static DatasetManifest Read(string datasetDir)
    {
        string path = System.IO.Path.Combine(datasetDir, FileName);
        if (!File.Exists(path)) throw new DatasetRefusedException($"{datasetDir} has no {FileName}: not a dataset written by `vhw export`");
        DatasetManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new DatasetRefusedException($"{path} is not valid JSON: {e.Message}"); }
        if (manifest is null || manifest.Format != FormatName || manifest.Files is null || manifest.Documents is null || manifest.Tables is null)
            throw new DatasetRefusedException($"{path} is not a {FormatName} manifest");
        if (manifest.FormatVersion != CurrentVersion)
            throw new DatasetRefusedException($"{path} has format_version {manifest.FormatVersion}; this vhw reads {CurrentVersion}");
        return manifest;
    }

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The absolute path of a manifest path under <paramref name="root"/>, or a refusal when it is not a plain relative path
    /// staying inside root: '/'-separated segments of letters, digits, '.', '_', '=', '-', none empty, '.' or '..', no leading '.'.
    /// </summary>
    public static string Resolve(string root, string relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Split('/').Any(s => !Segment().IsMatch(s)))
            throw new DatasetRefusedException($"path '{relative}' in the manifest is not a plain relative path (no '..', '.', absolute paths or backslashes)");
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        string prefix = System.IO.Path.GetFullPath(root).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw new DatasetRefusedException($"path '{relative}' in the manifest escapes {root}");
        return full;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._=-]{0,199}$")]
    private static partial Regex Segment();
}

/// <summary>An import refused a dataset (bad manifest, checksum, schema or path); nothing was written.</summary>
public sealed class DatasetRefusedException(string message) : IOException(message);
