using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.Reliability;

public sealed class ShardTests(ReliabilityFixture f) : IClassFixture<ReliabilityFixture>
{
    [Fact]
    public void Three_shard_processes_write_the_same_warehouse_as_one()
    {
        string wh = f.NewWarehouse("shards");
        var procs = Enumerable.Range(0, 3)
            .Select(i => VhwProcess.Start(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize, "--shard", $"{i}/3")))
            .ToList();
        foreach (var p in procs)
        {
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(VhwProcess.HangGuardSeconds)));
            Assert.True(p.ExitCode == 0, err.Result);
            p.Dispose();
        }
        Assert.Empty(RunCompleteness.Find(wh));
        Assert.Equal(3L, Duck.Scalar(wh, "select count(*) from runs"));
        f.AssertEqualsBaseline(wh);
        ReliabilityFixture.AssertSummariesCoverEveryPart(wh);
        Assert.Empty(RunCompleteness.Find(f.Baseline));
    }

    [Fact]
    public void Transform_refuses_a_run_with_a_missing_shard_and_names_it()
    {
        string wh = f.NewWarehouse("missing");
        foreach (var i in new[] { 0, 2 })
            Assert.Equal(0, VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, wh, ReliabilityFixture.ChunkSize, "--shard", $"{i}/3")).ExitCode);

        var missing = Assert.Single(RunCompleteness.Find(wh));
        Assert.Equal(new[] { 1 }, missing.MissingShards);
        Assert.Equal(3, missing.ShardCount);

        var t = VhwProcess.Run(["transform", "--warehouse", wh]);
        Assert.Equal(4, t.ExitCode);
        Assert.Contains("missing shard(s) 1 of 3", t.Stderr);
        Assert.False(File.Exists(Path.Combine(wh, "warehouse.duckdb")));

        Assert.Equal(0, VhwProcess.Run(["transform", "--warehouse", wh, "--allow-incomplete"]).ExitCode);
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("x")]
    public void Bad_shard_specs_are_refused_with_a_clear_message(string spec)
    {
        var r = VhwProcess.Run(VhwProcess.IngestArgs(f.Assets.ModelDir, f.Assets.BenchmarkDir, f.NewWarehouse("bad"), 8, "--shard", spec));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("shard", r.Stderr);
    }
}
