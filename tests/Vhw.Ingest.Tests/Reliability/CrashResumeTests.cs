using Vhw.Ingest.Reliability;

using Vhw.Ingest.Tests.EndToEnd;

namespace Vhw.Ingest.Tests.Reliability;

/// <summary>SIGKILL the ingest at named points, rerun, and get exactly the uninterrupted warehouse.</summary>
public sealed class CrashResumeTests(ReliabilityFixture f) : IClassFixture<ReliabilityFixture>
{
    [Theory]
    [InlineData(FaultPoints.SampleDone, 3)]      // mid-chunk
    [InlineData(FaultPoints.SampleDone, 19)]     // mid-chunk, after two chunks were recorded
    [InlineData(FaultPoints.PartWriting, 2)]     // mid-Parquet-write: bytes out, file not closed or renamed
    [InlineData(FaultPoints.PartWriting, 7)]
    [InlineData(FaultPoints.PartsRenamed, 2)]    // between rename and manifest update
    [InlineData(FaultPoints.ChunkRecorded, 5)]   // after the last chunk, before the runs row
    public void Killed_ingest_resumes_to_the_uninterrupted_warehouse(string point, int hit)
    {
        string wh = f.NewWarehouse("kill");
        var args = VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize);

        var killed = VhwProcess.Run(args, new Dictionary<string, string> { [FaultPoints.EnvironmentVariable] = $"{point}:{hit}" });
        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL

        var resumed = VhwProcess.Run(args);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("complete", resumed.Stdout);
        f.AssertEqualsBaseline(wh);
        ReliabilityFixture.AssertSummariesCoverEveryPart(wh);
    }

    [Fact]
    public void Out_of_memory_on_one_sample_rejects_it_with_the_reason_and_the_run_goes_on()
    {
        string wh = f.NewWarehouse("oom");
        var r = VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize),
            new Dictionary<string, string> { [FaultPoints.OomEnvironmentVariable] = "5" });
        Assert.True(r.ExitCode == 0, r.Stderr);
        var reject = Assert.Single(Duck.Query(wh, "select sample_id, reason from rejects"));
        Assert.Contains("out of memory", (string)reject[1]!);
        Assert.Equal(ReliabilityFixture.Samples - 1L, Duck.Scalar(wh, "select count(*) from samples"));
        Assert.Equal(0, Duck.Scalar(wh, $"select count(*) from samples where sample_id = '{reject[0]}'"));
    }

    [Fact]
    public void Sigterm_stops_between_chunks_with_exit_code_3_and_the_rerun_completes()
    {
        string bench = Path.Combine(f.Root, "bench-400");
        Vhw.Ingest.Benchmarks.SyntheticBenchmark.Write(bench, 400, seed: 3);
        string wh = f.NewWarehouse("term");
        var args = VhwProcess.IngestArgs(f.Assets.ModelDir, bench, wh, 8);
        using var p = VhwProcess.Start(args);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        string manifests = Path.Combine(wh, "_manifests");
        var until = DateTime.UtcNow.AddSeconds(60);
        // wait until the first chunk is recorded (the manifest exists, empty, from the start of the run)
        while (DateTime.UtcNow < until && !(Directory.Exists(manifests) &&
               Directory.EnumerateFiles(manifests, "*.jsonl", SearchOption.AllDirectories).Any(m => new FileInfo(m).Length > 0)))
            Thread.Sleep(20);
        VhwProcess.Signal(p, "TERM");
        var signalled = DateTime.UtcNow;

        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "ingest did not stop within 30 s of SIGTERM");
        Assert.Equal(3, p.ExitCode);
        Assert.Contains("INCOMPLETE", stdout.Result);
        Assert.Contains("rerun the same command to resume", stderr.Result);
        Assert.Empty(Directory.GetFiles(wh, "*.tmp", SearchOption.AllDirectories));
        long partial = Duck.RawScalar(wh, "select count(*) from read_parquet('samples/*/*/*.parquet')");
        Assert.InRange(partial, 8, 392);
        Assert.Equal(0, partial % 8); // whole chunks only

        var resumed = VhwProcess.Run(args);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(400L, Duck.Scalar(wh, "select count(*) from samples"));
        Assert.Equal(400L * 16, Duck.Scalar(wh, "select count(*) from head_facts"));
        Assert.Equal(400L, Duck.Scalar(wh, "select count(distinct sample_id) from samples"));
    }
}
