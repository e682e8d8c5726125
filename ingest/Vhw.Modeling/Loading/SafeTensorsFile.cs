using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>
/// A safetensors file opened for reading: 8-byte little-endian header length, JSON header, raw data. The whole
/// header is validated on open (length, dtypes, shapes, offsets in range, sizes consistent, no overlaps); every
/// error is a one-line <see cref="CheckpointException"/> naming the file and, where there is one, the tensor.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>safetensors' own cap on the JSON header.</summary>
    public const long MaxHeaderBytes = 100_000_000;
    private const int ChunkBytes = 64 << 20;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafeTensorsTensorInfo> _tensors = new(StringComparer.Ordinal);

    public SafeTensorsFile(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors reading assumes a little-endian host");
        Path = path;
        if (!File.Exists(path))
            throw new CheckpointException(path, "file not found");
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            FileLength = RandomAccess.GetLength(_handle);
            ReadHeader();
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public string Path { get; }
    public long FileLength { get; }
    public IReadOnlyDictionary<string, SafeTensorsTensorInfo> Tensors => _tensors;
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Copies tensor <paramref name="name"/> into <paramref name="target"/> (same element count; any float dtype/device), in chunks.</summary>
    public void ReadInto(string name, Tensor target) => ReadRowsInto(name, 0, null, target);

    /// <summary>
    /// Copies rows [<paramref name="rowStart"/>, rowStart + <paramref name="rows"/>) along dim 0 of tensor <paramref name="name"/>
    /// (a contiguous byte range) into <paramref name="target"/>, which must hold exactly that many elements; rows null = all.
    /// </summary>
    public void ReadRowsInto(string name, long rowStart, long? rows, Tensor target)
    {
        var info = _tensors.TryGetValue(name, out var i) ? i : throw new CheckpointException(Path, "not in this file", name);
        long first = 0, total = info.ElementCount;
        if (rows is { } n)
        {
            long height = info.Shape.Length > 0 ? info.Shape[0] : 0;
            if (rowStart < 0 || n < 0 || rowStart + n > height)
                throw new CheckpointException(Path, $"rows [{rowStart}, {rowStart + n}) are outside dim 0 of {info.ShapeText}", name);
            long rowElements = info.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            (first, total) = (rowStart * rowElements, n * rowElements);
        }
        if (target.numel() != total)
            throw new CheckpointException(Path, $"has {total} elements to read, target has {target.numel()}", name);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var flat = target.view(-1);                                                         // (numel)
        long perChunk = Math.Max(1, ChunkBytes / info.ElementSize);
        var buffer = new byte[(int)Math.Min(total * info.ElementSize, perChunk * info.ElementSize)];
        for (long done = 0; done < total; done += perChunk)
        {
            long count = Math.Min(perChunk, total - done);
            int bytes = checked((int)(count * info.ElementSize));
            ReadExactly(info.DataStart + (first + done) * info.ElementSize, buffer.AsSpan(0, bytes), name);
            using var chunk = empty(count, dtype: info.ScalarType);                          // (count) on CPU
            chunk.bytes = buffer.AsSpan(0, bytes);
            flat.narrow(0, done, count).copy_(chunk);
        }
    }

    /// <summary>Reads tensor <paramref name="name"/> as a new CPU tensor in its file dtype.</summary>
    public Tensor Read(string name)
    {
        var info = _tensors.TryGetValue(name, out var i) ? i : throw new CheckpointException(Path, "not in this file", name);
        var result = empty(info.Shape, dtype: info.ScalarType);
        ReadInto(name, result);
        return result;
    }

    public void Dispose() => _handle.Dispose();

    private void ReadExactly(long offset, Span<byte> destination, string? tensor)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read <= 0)
                throw new CheckpointException(Path, $"unexpected end of file at byte {offset} (file truncated?)", tensor);
            destination = destination[read..];
            offset += read;
        }
    }

    private void ReadHeader()
    {
        if (FileLength < 8)
            throw new CheckpointException(Path, $"file is {FileLength} bytes, too short for a safetensors header");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(0, prefix, null);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > (ulong)(FileLength - 8))
            throw new CheckpointException(Path,
                $"bad header length {headerLength} (file is {FileLength} bytes; limit {MaxHeaderBytes}); not a safetensors file or truncated");
        var header = new byte[(int)headerLength];
        ReadExactly(8, header, null);
        long dataStart = 8 + (long)headerLength, dataLength = FileLength - dataStart;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new CheckpointException(Path, $"header is not valid JSON ({e.Message.Split('\n')[0]})", inner: e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(Path, "header is not a JSON object");
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    Metadata = ParseMetadata(entry.Value);
                else
                    _tensors.Add(entry.Name, ParseEntry(entry.Name, entry.Value, dataStart, dataLength));
            }
        }
        CheckNoOverlap();
    }

    private Dictionary<string, string> ParseMetadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(Path, "__metadata__ is not an object");
        return value.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    private SafeTensorsTensorInfo ParseEntry(string name, JsonElement value, long dataStart, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new CheckpointException(Path, "header entry needs dtype, shape and data_offsets [begin, end]", name);
        string dtype = dtypeEl.GetString()!;
        if (!SafeTensorsDtype.TryParse(dtype, out var scalarType, out int size))
            throw new CheckpointException(Path, $"unsupported dtype '{dtype}'", name);
        var shape = new long[shapeEl.GetArrayLength()];
        int d = 0;
        foreach (var dim in shapeEl.EnumerateArray())
            shape[d++] = dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out long v) && v >= 0
                ? v : throw new CheckpointException(Path, $"invalid shape {shapeEl.GetRawText()}", name);
        long[] offsets = offEl.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out long x) && x >= 0
            ? x : throw new CheckpointException(Path, $"invalid data_offsets {offEl.GetRawText()}", name)).ToArray();
        long begin = offsets[0], end = offsets[1];
        if (begin > end || end > dataLength)
            throw new CheckpointException(Path,
                $"data_offsets [{begin}, {end}] out of range: the data section has {dataLength} bytes (file truncated?)", name);
        long expected;
        try { expected = checked(shape.Aggregate(1L, (a, b) => a * b) * size); }
        catch (OverflowException) { throw new CheckpointException(Path, $"shape [{string.Join(", ", shape)}] overflows", name); }
        if (end - begin != expected)
            throw new CheckpointException(Path,
                $"dtype {dtype} shape [{string.Join(", ", shape)}] needs {expected} bytes but data_offsets span {end - begin}", name);
        return new SafeTensorsTensorInfo(name, dtype, scalarType, size, shape, dataStart + begin, end - begin);
    }

    private void CheckNoOverlap()
    {
        SafeTensorsTensorInfo? previous = null;
        foreach (var info in _tensors.Values.Where(t => t.ByteLength > 0).OrderBy(t => t.DataStart))
        {
            if (previous is not null && info.DataStart < previous.DataStart + previous.ByteLength)
                throw new CheckpointException(Path, $"data overlaps tensor '{previous.Name}'", info.Name);
            previous = info;
        }
    }
}
