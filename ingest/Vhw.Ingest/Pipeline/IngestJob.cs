using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Sources;
using Vhw.Ingest.Reliability;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Ingest.Worker;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Pipeline;

/// <summary>Progress of one model × benchmark run (samples include rejects).</summary>
public sealed record JobProgress(string Model, string Benchmark, int Done, int Total);

/// <summary>
/// Ingests one benchmark with one loaded model: chunks of samples → three part files each
/// (head_facts, samples, rejects), a manifest line per completed chunk, a runs row at the end.
/// Within a chunk, samples are generated options.BatchSize at a time (left-padded batches).
/// Resumable and idempotent: completed chunks are skipped, a completed run is skipped entirely.
/// Sharded (options.Shard = i/N): the shard owns the items at positions ≡ i (mod N) and writes its own
/// part files, manifest and runs row; the union of all shards equals an unsharded run.
/// </summary>
public sealed class IngestJob(ModelSession session, IngestOptions options, ILogger logger, PartWriter? writer = null)
{
    readonly PartWriter _writer = writer ?? PartWriter.Create(logger);

    public const string HeadFactsTable = "head_facts", SamplesTable = "samples", RejectsTable = "rejects",
        RunsTable = "runs", ModelsTable = "models";

    public async Task<JobSummary> RunAsync(string benchmarkDir, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        DateTime startedAt = DateTime.UtcNow;
        string root = options.Warehouse;
        string model = session.Name;
        var source = BenchmarkSources.Open(benchmarkDir, options.SourceOptions());
        IEnumerable<BenchmarkItem> Items() => options.Limit > 0 ? source.Read().Take(options.Limit) : source.Read();
        string benchmark = PartitionPath.ValidateName(source.Name, "benchmark");
        var identity = new RunIdentity(model, benchmark, session.WeightsSha256,
            BenchmarkSourceHash.Sha256(source), session.Query.ToWarehouseName(),
            options.MaxNewTokens, options.Limit, options.ChunkSize, options.Dtype, RunIdentity.CurrentCaptureVersion);
        string runId = identity.RunId;
        var shard = ShardSpec.Parse(options.Shard);
        string tag = runId + shard.Tag;

        string runsDir = PartitionPath.Dir(root, RunsTable, model, benchmark);
        string runFile = $"part-{tag}.parquet";
        if (File.Exists(Path.Combine(runsDir, runFile)))
        {
            logger.LogInformation("{Model} × {Benchmark}: run {RunId} shard {Shard} already complete, skipped", model, benchmark, runId, shard);
            await BenchmarkScores.EnsureAsync(_writer, root, model, benchmark, runId, shard, source.Kind, Items, CancellationToken.None);
            return new JobSummary(model, benchmark, runId, 0, 0, 0, 0, Skipped: true, Complete: true, clock.Elapsed);
        }

        string factsDir = PartitionPath.Dir(root, HeadFactsTable, model, benchmark);
        string samplesDir = PartitionPath.Dir(root, SamplesTable, model, benchmark);
        string rejectsDir = PartitionPath.Dir(root, RejectsTable, model, benchmark);
        // only this shard's own temps: other shards may be writing in the same folders right now
        foreach (var d in new[] { factsDir, samplesDir, rejectsDir }) PartWriter.RemoveTemps(d, prefix: $"part-{tag}-");
        PartWriter.RemoveTemps(runsDir, prefix: $"part-{tag}.");
        await WriteModelRowAsync(root, ct);

        var manifest = RunManifest.Open(root, model, benchmark, tag, _writer);
        var items = Items();
        var chunks = items.Where((_, position) => shard.Owns(position)).Chunk(options.ChunkSize).ToList();
        int total = chunks.Sum(c => c.Length), done = 0, written = 0, skipped = 0, nSamples = 0, nRejects = 0;
        progress?.Report(new JobProgress(model, benchmark, 0, total));

        for (int i = 0; i < chunks.Count; i++)
        {
            if (manifest.Completed.TryGetValue(i, out var entry))
            {
                done += chunks[i].Length; skipped++;
                nSamples += entry.Samples; nRejects += entry.Rejects;
                progress?.Report(new JobProgress(model, benchmark, done, total));
                continue;
            }
            if (ct.IsCancellationRequested) break; // stop between chunks: nothing half-written

            var facts = new List<HeadFactRow>();
            var samples = new List<SampleRow>();
            var rejects = new List<RejectRow>();
            // batches form inside the chunk (a chunk is still the unit of resumption); rows keep the benchmark order
            foreach (var batch in chunks[i].Chunk(options.BatchSize))
            {
                var outcomes = session.ProcessBatch(batch.OfType<BenchmarkSample>().ToList(), runId, source.Root);
                int next = 0;
                foreach (var item in batch)
                {
                    switch (item)
                    {
                        case BenchmarkReject r:
                            rejects.Add(new RejectRow { RunId = runId, SourceFile = r.SourceFile, Line = r.Line, SampleId = r.SampleId, Field = r.Field, Reason = r.Reason });
                            break;
                        case BenchmarkSample:
                            var outcome = outcomes[next++];
                            if (outcome.Reject is not null) rejects.Add(outcome.Reject);
                            else { samples.Add(outcome.Sample!); facts.AddRange(outcome.Facts!); }
                            break;
                    }
                    done++;
                    progress?.Report(new JobProgress(model, benchmark, done, total));
                    FaultPoints.Hit(FaultPoints.SampleDone);
                }
            }

            // Once a chunk has started it is finished and recorded even when a stop was requested:
            // the stop is honoured between chunks, so nothing is half-written.
            string part = $"part-{tag}-{i:D5}.parquet";
            var files = new[]
            {
                await _writer.WritePartAsync(factsDir, part, facts, CancellationToken.None),
                await _writer.WritePartAsync(samplesDir, part, samples, CancellationToken.None),
                await _writer.WritePartAsync(rejectsDir, part, rejects, CancellationToken.None),
            };
            FaultPoints.Hit(FaultPoints.PartsRenamed);
            manifest.MarkDone(new RunManifest.ChunkEntry(i, samples.Count, rejects.Count, facts.Count,
                files.Select(f => Path.GetRelativePath(root, f)).ToArray()));
            FaultPoints.Hit(FaultPoints.ChunkRecorded);
            written++; nSamples += samples.Count; nRejects += rejects.Count;
        }

        bool complete = manifest.Completed.Count == chunks.Count;
        if (complete)
        {
            var run = new RunRow
            {
                RunId = runId, QueryKind = identity.QueryKind, ConfigJson = identity.ToJson(),
                VhwVersion = VersionInfo.Vhw, TorchSharpVersion = VersionInfo.TorchSharp,
                Dtype = options.Dtype, Device = options.Device, StartedAt = startedAt, FinishedAt = DateTime.UtcNow,
                NSamples = nSamples, NRejects = nRejects, Status = "complete",
                ShardIndex = shard.Index, ShardCount = shard.Count,
            };
            await _writer.WritePartAsync(runsDir, runFile, new[] { run }, CancellationToken.None);
            await BenchmarkScores.EnsureAsync(_writer, root, model, benchmark, runId, shard, source.Kind, Items, CancellationToken.None);
        }
        logger.LogInformation("{Model} × {Benchmark}: run {RunId} {State}: {Samples} samples, {Rejects} rejects, {Written} chunks written, {Skipped} resumed",
            model, benchmark, runId, complete ? "complete" : "incomplete", nSamples, nRejects, written, skipped);
        return new JobSummary(model, benchmark, runId, nSamples, nRejects, written, skipped, Skipped: false, complete, clock.Elapsed);
    }

    async Task WriteModelRowAsync(string root, CancellationToken ct)
    {
        string dir = PartitionPath.Dir(root, ModelsTable, session.Name);
        PartWriter.RemoveTemps(dir, olderThan: TimeSpan.FromMinutes(10)); // shared by all shards
        string file = $"part-{session.WeightsSha256[..16]}.parquet";
        if (!File.Exists(Path.Combine(dir, file)))
            await _writer.WritePartAsync(dir, file, new[] { session.Describe(options.Dtype) }, ct);
    }
}
