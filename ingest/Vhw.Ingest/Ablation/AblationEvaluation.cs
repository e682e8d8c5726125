using Vhw.Ingest.Benchmarks.Sources;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parquet.Serialization;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Ablation;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// Everything that determines the predictions of one evaluation (a head set removed in one mode over one benchmark).
/// <see cref="EvalId"/> hashes all of it; <see cref="ConfigId"/> all but the mode and heads (and the chunking), so
/// every point of one sweep configuration shares it.
/// </summary>
public sealed record EvaluationIdentity(
    string Model, string WeightsSha256, string Benchmark, string BenchmarkSha256, string Mode, string Heads,
    int MaxNewTokens, int Limit, int ChunkSize, string Dtype, int EngineVersion)
{
    /// <summary>Bump when the ablation engine or the scoring changes what an evaluation produces.</summary>
    public const int CurrentEngineVersion = 1;

    /// <summary>The mode of an empty head set: every mode then is the unablated model.</summary>
    public const string NoMode = "none";

    [JsonIgnore]
    public string EvalId => Hash(JsonSerializer.Serialize(this));

    [JsonIgnore]
    public string ConfigId => Hash(JsonSerializer.Serialize(new { Model, WeightsSha256, Benchmark, BenchmarkSha256, MaxNewTokens, Limit, Dtype, EngineVersion }));

    [JsonIgnore]
    public string ConfigJson => JsonSerializer.Serialize(new { Model, WeightsSha256, Benchmark, BenchmarkSha256, MaxNewTokens, Limit, ChunkSize, Dtype, EngineVersion });

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}

/// <summary>Predictions of one evaluation, one row per scored sample, and how many samples were rejected.</summary>
public sealed record EvaluationResult(string EvalId, IReadOnlyList<AblationSampleRow> Samples, int Rejects, bool Complete, int ChunksComputed);

/// <summary>
/// Runs one evaluation through <see cref="ModelSession.Process"/> (prompt → generate with the heads removed → the
/// benchmark's own scoring), chunk by chunk: each chunk is one immutable part of ablation_samples plus a manifest line
/// (RunManifest under _manifests/…/ablation-&lt;eval_id&gt;.jsonl), so a rerun loads completed chunks and computes the rest.
/// </summary>
public sealed class AblationEvaluation(ModelSession session, string warehouse)
{
    public const string SamplesTable = "ablation_samples";

    /// <summary>A benchmark given as a folder or <c>format:path</c> spec, opened with the default source options.</summary>
    public Task<EvaluationResult> RunAsync(
        EvaluationIdentity id, HeadAblation? ablation, string benchmark, IProgress<int>? samplesDone, CancellationToken ct) =>
        RunAsync(id, ablation, BenchmarkSources.Open(benchmark, BenchmarkSourceOptions.Default), samplesDone, ct);

    /// <summary>Any benchmark format ingest reads (questions, pope, mmbench, seed, qbench, pointqa).</summary>
    public async Task<EvaluationResult> RunAsync(
        EvaluationIdentity id, HeadAblation? ablation, IBenchmarkSource source, IProgress<int>? samplesDone, CancellationToken ct)
    {
        string evalId = id.EvalId;
        string dir = PartitionPath.Dir(warehouse, SamplesTable, id.Model, id.Benchmark);
        PartWriter.RemoveTemps(dir, prefix: $"part-{evalId}-");   // only this evaluation's: other sweeps may be writing here
        var manifest = RunManifest.Open(warehouse, id.Model, id.Benchmark, "ablation-" + evalId);
        var items = source.Read();
        if (id.Limit > 0) items = items.Take(id.Limit);
        var chunks = items.Chunk(id.ChunkSize).ToList();

        var rows = new List<AblationSampleRow>();
        int rejects = 0, computed = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            if (manifest.Completed.TryGetValue(i, out var entry))
            {
                rows.AddRange(await ReadAsync(Path.Combine(warehouse, entry.Files[0]), ct));
                rejects += entry.Rejects;
                samplesDone?.Report(chunks[i].Length);
                continue;
            }
            if (ct.IsCancellationRequested) return new EvaluationResult(evalId, rows, rejects, Complete: false, computed);

            var chunkRows = new List<AblationSampleRow>();
            int chunkRejects = 0;
            foreach (var item in chunks[i])
            {
                if (item is BenchmarkSample s && session.Process(s, evalId, source.Root, ablation) is { Sample: { } sample })
                    chunkRows.Add(new AblationSampleRow
                    {
                        EvalId = evalId, Mode = id.Mode, SelectionHash = EvaluationIdentity.Hash(id.Heads), SampleId = sample.SampleId,
                        Prediction = sample.Prediction, Correct = sample.Correct,
                        FirstTokenId = sample.FirstTokenId, NGeneratedTokens = sample.NGeneratedTokens,
                    });
                else chunkRejects++;
                samplesDone?.Report(1);
            }
            string file = await PartWriter.WriteAsync(dir, $"part-{evalId}-{i:D5}.parquet", chunkRows, CancellationToken.None);
            manifest.MarkDone(new RunManifest.ChunkEntry(i, chunkRows.Count, chunkRejects, 0, [Path.GetRelativePath(warehouse, file)]));
            rows.AddRange(chunkRows);
            rejects += chunkRejects;
            computed++;
        }
        return new EvaluationResult(evalId, rows, rejects, Complete: true, computed);
    }

    private static async Task<IList<AblationSampleRow>> ReadAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return (await ParquetSerializer.DeserializeAsync<AblationSampleRow>(stream, cancellationToken: ct)).Data;
    }
}
