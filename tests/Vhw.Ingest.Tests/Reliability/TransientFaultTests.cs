using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Reliability;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Ingest.Worker;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Tests.Reliability;

/// <summary>A file layer that fails chosen operations, to prove the retry policy and the no-half-written rule.</summary>
sealed class FaultyFiles(Func<string, string, bool> fail) : IWarehouseFiles
{
    public int Injected;
    void Maybe(string op, string path)
    {
        if (fail(op, path)) { Interlocked.Increment(ref Injected); throw new IOException($"injected {op} fault on {Path.GetFileName(path)}"); }
    }
    public Stream Create(string path) { Maybe("create", path); return LocalWarehouseFiles.Instance.Create(path); }
    public void Move(string from, string to) { Maybe("move", to); LocalWarehouseFiles.Instance.Move(from, to); }
    public void AppendLine(string path, string line) { Maybe("append", path); LocalWarehouseFiles.Instance.AppendLine(path, line); }
    public void Delete(string path) => LocalWarehouseFiles.Instance.Delete(path);
}

public sealed class TransientFaultTests(ReliabilityFixture f) : IClassFixture<ReliabilityFixture>
{
    async Task<JobSummary> Ingest(string wh, IWarehouseFiles files)
    {
        var options = new IngestOptions { Warehouse = wh, ChunkSize = ReliabilityFixture.ChunkSize };
        using var session = new ModelSession(f.Assets.ModelDir, CaptureQuery.AnswerStep2, options.MaxNewTokens, torch.ScalarType.Float32, torch.CPU);
        var writer = new PartWriter(files, WriteRetry.Create(NullLogger.Instance, baseDelay: TimeSpan.FromMilliseconds(1)));
        return await new IngestJob(session, options, NullLogger.Instance, writer).RunAsync(f.Assets.BenchmarkDir, null, CancellationToken.None);
    }

    [Fact]
    public async Task Transient_io_faults_are_retried_and_the_warehouse_is_exact()
    {
        string wh = f.NewWarehouse("flaky");
        int calls = 0;
        // every third create/move/append fails once: transient
        var files = new FaultyFiles((op, path) => Interlocked.Increment(ref calls) % 3 == 0);

        var job = await Ingest(wh, files);

        Assert.True(job.Complete);
        Assert.True(files.Injected >= 10, $"only {files.Injected} faults injected");
        f.AssertEqualsBaseline(wh);
    }

    [Fact]
    public async Task A_persistent_fault_fails_with_the_path_and_leaves_nothing_half_written()
    {
        string wh = f.NewWarehouse("broken");
        var files = new FaultyFiles((op, path) => op == "move" && path.Contains("samples"));

        var e = await Assert.ThrowsAsync<IOException>(() => Ingest(wh, files));

        Assert.Contains("samples", e.Message);
        Assert.Contains("after 6 attempts", e.Message);
        Assert.Empty(Directory.GetFiles(wh, "*.tmp", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(wh, "runs")));
        var manifest = Directory.GetFiles(Path.Combine(wh, "_manifests"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal("", File.ReadAllText(Assert.Single(manifest)));
        Assert.Single(Vhw.Transform.RunCompleteness.Find(wh)); // transform will refuse the partial run

        // once the fault is gone, the same run completes to the baseline
        Assert.True((await Ingest(wh, LocalWarehouseFiles.Instance)).Complete);
        f.AssertEqualsBaseline(wh);
    }
}
