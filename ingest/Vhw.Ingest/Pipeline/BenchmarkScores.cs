using Parquet.Serialization;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Scoring;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Pipeline;

/// <summary>
/// The benchmark_scores part of a run (<c>benchmark_scores/model=M/benchmark=B/part-&lt;run&gt;.parquet</c>): written once
/// every shard of the run has its runs row, from the samples parts read back (so resumed chunks and other shards
/// count), joined by sample id to the benchmark's samples and scored by <see cref="BenchmarkScorer"/>. Called after a
/// shard's runs row is written and again when a completed run is skipped, so a crash in between is repaired by a rerun.
/// Shards finishing together may both write it (same rows): each writes its own staged file and renames it into place.
/// </summary>
public static class BenchmarkScores
{
    public const string Table = "benchmark_scores";

    /// <summary>Writes the part unless it exists or a shard is still missing; returns the rows written (null when nothing was written).</summary>
    public static async Task<IReadOnlyList<BenchmarkScoreRow>?> EnsureAsync(PartWriter writer, string root, string model, string benchmark,
        string runId, ShardSpec shard, BenchmarkKind kind, Func<IEnumerable<BenchmarkItem>> items, CancellationToken ct)
    {
        string dir = PartitionPath.Dir(root, Table, model, benchmark), file = $"part-{runId}.parquet";
        if (File.Exists(Path.Combine(dir, file))) return null;
        string runsDir = PartitionPath.Dir(root, IngestJob.RunsTable, model, benchmark);
        if (!Enumerable.Range(0, shard.Count).All(i => File.Exists(Path.Combine(runsDir, $"part-{runId}{new ShardSpec(i, shard.Count).Tag}.parquet"))))
            return null;

        var rows = await ScoreAsync(root, model, benchmark, runId, kind, items().OfType<BenchmarkSample>(), ct);
        // "<file>.staged<shard>" does not match schema.sql's *.parquet glob; the rename into place is atomic
        string staged = await writer.WritePartAsync(dir, $"{file}.staged{shard.Tag}", rows, ct);
        File.Move(staged, Path.Combine(dir, file), overwrite: true);
        return rows;
    }

    /// <summary>The score rows of a run from its samples parts and the samples that were asked.</summary>
    public static async Task<List<BenchmarkScoreRow>> ScoreAsync(string root, string model, string benchmark, string runId,
        BenchmarkKind kind, IEnumerable<BenchmarkSample> asked, CancellationToken ct)
    {
        var byId = new Dictionary<string, BenchmarkSample>(StringComparer.Ordinal);
        foreach (var s in asked) byId.TryAdd(s.Id, s);
        var answered = new List<ScoredSample>();
        foreach (var row in await ReadSamplesAsync(PartitionPath.Dir(root, IngestJob.SamplesTable, model, benchmark), runId, ct))
            if (byId.TryGetValue(row.SampleId, out var sample)) answered.Add(new ScoredSample(sample, row.Prediction, row.Correct));

        return BenchmarkScorer.Score(kind, answered).Select(s => new BenchmarkScoreRow
        {
            RunId = runId, Format = kind.Name(), SubsetKind = s.SubsetKind, Subset = s.Subset, Metric = s.Metric, Value = s.Value, NSamples = s.N,
        }).ToList();
    }

    /// <summary>The sample rows of one run: every <c>part-&lt;run&gt;-*.parquet</c> (all shards) in the samples partition.</summary>
    public static async Task<List<SampleRow>> ReadSamplesAsync(string samplesDir, string runId, CancellationToken ct)
    {
        var rows = new List<SampleRow>();
        if (!Directory.Exists(samplesDir)) return rows;
        foreach (var file in Directory.EnumerateFiles(samplesDir, $"part-{runId}-*.parquet").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            rows.AddRange((await ParquetSerializer.DeserializeAsync<SampleRow>(stream, cancellationToken: ct)).Data);
        }
        return rows;
    }
}
