using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>Helpers that rewrite or damage safetensors files for loader tests.</summary>
internal static class SafeTensorsSurgery
{
    /// <summary>All tensors of a file as CPU tensors in their file dtype (caller disposes).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path)
    {
        using var file = new SafeTensorsFile(path);
        return file.Tensors.Keys.ToDictionary(k => k, k => file.Read(k), StringComparer.Ordinal);
    }

    /// <summary>Rewrites <paramref name="path"/> after applying <paramref name="edit"/> to its tensors.</summary>
    public static void Rewrite(string path, Action<Dictionary<string, Tensor>> edit)
    {
        var tensors = ReadAll(path);
        edit(tensors);
        SafeTensorsWriter.Write(path, tensors);
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>Header JSON and data section of a file.</summary>
    public static (JsonObject Header, byte[] Data) Split(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, n))!.AsObject();
        return (header, bytes[(8 + n)..]);
    }

    /// <summary>Writes a file from a header JSON and a data section.</summary>
    public static void Join(string path, JsonObject header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        File.WriteAllBytes(path, [.. prefix, .. json, .. data]);
    }
}
