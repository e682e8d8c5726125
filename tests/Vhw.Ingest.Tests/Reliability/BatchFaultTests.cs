using Vhw.Ingest.Reliability;
using Vhw.Ingest.Tests.EndToEnd;

namespace Vhw.Ingest.Tests.Reliability;

/// <summary>
/// `--batch-size` keeps the fault semantics: a killed batched run resumes (even with another batch size) to the
/// baseline's samples, and a batch that runs out of memory is split into single samples instead of losing them.
/// Facts are compared by keys and counts here: batched facts equal the baseline's within 1e-5, not bit for bit
/// (<see cref="BatchIngestTests"/> compares the values).
/// </summary>
public sealed class BatchFaultTests(ReliabilityFixture f) : IClassFixture<ReliabilityFixture>
{
    [Fact]
    public void Killed_batched_ingest_resumes_with_another_batch_size_to_the_baseline_samples()
    {
        string wh = f.NewWarehouse("bkill");
        var killed = VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize, "--batch-size", "4"),
            new Dictionary<string, string> { [FaultPoints.EnvironmentVariable] = $"{FaultPoints.SampleDone}:19" }); // mid-chunk 3
        Assert.Equal(137, killed.ExitCode);

        var resumed = VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize, "--batch-size", "3"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("2 resumed", resumed.Stdout);
        AssertSameSamplesAsBaseline(wh);
    }

    [Theory]
    [InlineData("2")]       // the second batch, CUDA's message
    [InlineData("2:cpu")]   // the same with libtorch's CPU allocator's message
    public void Out_of_memory_on_a_batch_splits_it_and_loses_no_sample(string fault)
    {
        string wh = f.NewWarehouse("boom" + fault.Replace(':', '-'));
        var r = VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize, "--batch-size", "4"),
            new Dictionary<string, string> { [FaultPoints.OomEnvironmentVariable] = fault });
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(0, Duck.Scalar(wh, "select count(*) from rejects"));
        AssertSameSamplesAsBaseline(wh);
    }

    private void AssertSameSamplesAsBaseline(string wh)
    {
        foreach (var t in new[] { "samples", "rejects", "models" }) Assert.Equal(Duck.Checksum(f.Baseline, t), Duck.Checksum(wh, t));
        Assert.Empty(Directory.GetFiles(wh, "*.tmp", SearchOption.AllDirectories));
        const string keys = "select run_id, sample_id, layer, head, n_keys from head_facts order by all";
        Assert.Equal(Duck.Query(f.Baseline, keys), Duck.Query(wh, keys));
    }
}
