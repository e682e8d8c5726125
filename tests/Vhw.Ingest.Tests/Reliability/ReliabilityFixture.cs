using Vhw.Ingest.Default;
using Vhw.Ingest.Tests.EndToEnd;

namespace Vhw.Ingest.Tests.Reliability;

/// <summary>A default model + 40-sample benchmark and an uninterrupted baseline warehouse (chunks of 8).</summary>
public sealed class ReliabilityFixture : IDisposable
{
    public const int Samples = 40, ChunkSize = 8;
    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-faults-").FullName;
    public DefaultAssets.Paths Assets { get; }
    public string Baseline => Path.Combine(Root, "baseline");

    public static readonly string[] Tables = ["head_facts", "samples", "rejects", "models"];

    public ReliabilityFixture()
    {
        Assets = DefaultAssets.Create(Path.Combine(Root, "default"), seed: 7, samples: Samples);
        var r = VhwProcess.Run(VhwProcess.IngestArgs(Assets.ModelDir, Assets.BenchmarkDir, Baseline, ChunkSize));
        if (r.ExitCode != 0) throw new InvalidOperationException($"baseline ingest failed ({r.ExitCode}): {r.Stderr}");
    }

    public string NewWarehouse(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);

    /// <summary>Asserts the warehouse equals the baseline row for row (order-independent), without temps or duplicate keys.</summary>
    public void AssertEqualsBaseline(string warehouse)
    {
        foreach (var t in Tables) Assert.Equal(Duck.Checksum(Baseline, t), Duck.Checksum(warehouse, t));
        Assert.Empty(Directory.GetFiles(warehouse, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(0, Duck.Scalar(warehouse,
            "select count(*) from (select run_id, model, benchmark, sample_id, query_kind, layer, head from head_facts group by all having count(*) > 1)"));
        Assert.Equal(Samples * 16L, Duck.Scalar(warehouse, "select count(*) from head_facts"));
    }

    /// <summary>
    /// `vhw ingest` (the command) wrote head summaries when it finished: every part has a summary file covering exactly
    /// its facts (shards finishing at different times may each have summarised some parts; the transform reads one).
    /// </summary>
    public static void AssertSummariesCoverEveryPart(string warehouse)
    {
        Assert.True(Duck.Scalar(warehouse, "select count(distinct part) from head_facts") > 1);
        Assert.Equal(0, Duck.Scalar(warehouse, """
            select count(*)
            from (select part, count(*) as n from head_facts group by part) as facts
            where not exists (
                select 1
                from (select part, summary_file, sum(n_samples) as n from head_summaries group by part, summary_file) as summarised
                where summarised.part = facts.part and summarised.n = facts.n)
            """));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
