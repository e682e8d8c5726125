using Microsoft.Extensions.Logging;
using Parquet;
using Parquet.Serialization;
using Polly;
using Vhw.Ingest.Reliability;

namespace Vhw.Ingest.Storage;

/// <summary>
/// Writes immutable Parquet part files: serialise to "&lt;name&gt;.tmp" in the target folder, then rename.
/// A reader never sees a half-written part; a crash leaves only a .tmp that the next run removes.
/// Transient IO errors are retried (<see cref="WriteRetry"/>); a persistent one fails with the path and
/// leaves no temp file behind.
/// </summary>
public sealed class PartWriter(IWarehouseFiles files, ResiliencePipeline retry)
{
    public const string TempSuffix = ".tmp";

    /// <summary>Local files, default retry policy (no logging).</summary>
    public static readonly PartWriter Local = new(LocalWarehouseFiles.Instance, WriteRetry.Create());

    public static PartWriter Create(ILogger logger, IWarehouseFiles? files = null) =>
        new(files ?? LocalWarehouseFiles.Instance, WriteRetry.Create(logger));

    /// <summary>
    /// Zstd, large row groups, and BYTE_STREAM_SPLIT for every float column: metrics are high-entropy floats,
    /// and splitting their bytes into streams lets zstd compress the exponent/high-mantissa bytes
    /// (measured in BENCHMARKS.md). Ids and per-sample counts get dictionary/RLE by default.
    /// </summary>
    public static readonly ParquetOptions Options = CreateOptions();

    static ParquetOptions CreateOptions()
    {
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, RowGroupSize = 1_048_576 };
        foreach (string column in FloatColumns()) options.ColumnEncodingHints[column] = EncodingHint.ByteSplitStream;
        return options;
    }

    static IEnumerable<string> FloatColumns() =>
        typeof(Rows.HeadFactRow).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Rows.HeadFactRow).Namespace)
            .SelectMany(t => t.GetProperties())
            .Where(p => p.PropertyType == typeof(float) || p.PropertyType == typeof(float?))
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().Single().Name)
            .Distinct();

    public IWarehouseFiles Files => files;

    public static Task<string> WriteAsync<T>(string dir, string fileName, IReadOnlyCollection<T> rows, CancellationToken ct) =>
        Local.WritePartAsync(dir, fileName, rows, ct);

    public async Task<string> WritePartAsync<T>(string dir, string fileName, IReadOnlyCollection<T> rows, CancellationToken ct)
    {
        string final = Path.Combine(dir, fileName);
        // per-process temp name: shard workers writing the same shared file (e.g. the models row) never collide
        string tmp = $"{final}.{Environment.ProcessId}{TempSuffix}";
        try
        {
            await retry.ExecuteAsync(async token =>
            {
                await using (var stream = files.Create(tmp))
                {
                    await ParquetSerializer.SerializeAsync(rows, stream, Options, null, token);
                    FaultPoints.Hit(FaultPoints.PartWriting);
                    await stream.FlushAsync(token);
                    if (stream is FileStream fs) fs.Flush(flushToDisk: true);
                }
                files.Move(tmp, final);
            }, ct);
        }
        catch (IOException e)
        {
            TryDelete(tmp);
            throw new IOException($"could not write {final} after {WriteRetry.MaxRetryAttempts + 1} attempts: {e.Message}", e);
        }
        return final;
    }

    /// <summary>Appends one line (e.g. a manifest entry) with the same retry policy.</summary>
    public void AppendLine(string path, string line)
    {
        try { retry.Execute(() => files.AppendLine(path, line)); }
        catch (IOException e) { throw new IOException($"could not append to {path} after {WriteRetry.MaxRetryAttempts + 1} attempts: {e.Message}", e); }
    }

    void TryDelete(string path)
    {
        try { if (File.Exists(path)) files.Delete(path); }
        catch (IOException) { /* the next run removes stale temps */ }
    }

    /// <summary>
    /// Removes temp files a crashed run left in <paramref name="dir"/>: those whose name starts with
    /// <paramref name="prefix"/> (a shard's own parts — never another live shard's), and/or those older than
    /// <paramref name="olderThan"/> (shared files, whose live writers finish in milliseconds).
    /// </summary>
    public static int RemoveTemps(string dir, string prefix = "", TimeSpan? olderThan = null)
    {
        if (!Directory.Exists(dir)) return 0;
        int n = 0;
        foreach (var f in Directory.EnumerateFiles(dir, prefix + "*" + TempSuffix))
        {
            if (olderThan is { } age && DateTime.UtcNow - File.GetLastWriteTimeUtc(f) < age) continue;
            try { File.Delete(f); n++; }
            catch (FileNotFoundException) { }
        }
        return n;
    }
}
