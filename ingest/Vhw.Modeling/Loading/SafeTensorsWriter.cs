using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>
/// Writes safetensors files: tensors sorted by key (ordinal), data laid out in that order, header padded with
/// spaces to a multiple of 8. The same tensors give the same bytes. Written to a temp file, then renamed.
/// </summary>
public static class SafeTensorsWriter
{
    private const long ChunkElements = 16 << 20;

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors writing assumes a little-endian host");
        var sorted = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var duplicate = sorted.Zip(sorted.Skip(1)).FirstOrDefault(p => p.First.Key == p.Second.Key);
        if (duplicate.First.Key is not null)
            throw new ArgumentException($"duplicate tensor key '{duplicate.First.Key}'", nameof(tensors));

        byte[] header = BuildHeader(sorted, metadata);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, tensor) in sorted)
                WriteData(stream, tensor);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> sorted, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                    json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in sorted)
            {
                long bytes = tensor.numel() * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorsDtype.NameOf(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (long d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        var header = Enumerable.Repeat((byte)' ', padded).ToArray();
        buffer.ToArray().CopyTo(header, 0);
        return header;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().view(-1);                 // (numel)
        for (long first = 0; first < flat.numel(); first += ChunkElements)
        {
            long count = Math.Min(ChunkElements, flat.numel() - first);
            var chunk = flat.narrow(0, first, count);                           // (count) contiguous view
            stream.Write(chunk.bytes);
        }
    }
}
