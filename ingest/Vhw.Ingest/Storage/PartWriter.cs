using Parquet;
using Parquet.Serialization;

namespace Vhw.Ingest.Storage;

/// <summary>
/// Writes immutable Parquet part files: serialise to "&lt;name&gt;.tmp" in the target folder, then rename.
/// A reader never sees a half-written part; a crash leaves only a .tmp that the next run removes.
/// </summary>
public static class PartWriter
{
    public const string TempSuffix = ".tmp";

    public static readonly ParquetOptions Options = new()
    {
        CompressionMethod = CompressionMethod.Zstd,
        RowGroupSize = 1_048_576,
    };

    public static async Task<string> WriteAsync<T>(string dir, string fileName, IReadOnlyCollection<T> rows, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        string final = Path.Combine(dir, fileName);
        string tmp = final + TempSuffix;
        await using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await ParquetSerializer.SerializeAsync(rows, stream, Options, null, ct);
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, final, overwrite: true);
        return final;
    }

    /// <summary>Removes temp files a crashed run left in <paramref name="dir"/>.</summary>
    public static int RemoveTemps(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        int n = 0;
        foreach (var f in Directory.EnumerateFiles(dir, "*" + TempSuffix)) { File.Delete(f); n++; }
        return n;
    }
}
