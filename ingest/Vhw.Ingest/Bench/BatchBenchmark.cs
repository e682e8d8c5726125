using System.Diagnostics;
using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Pipeline;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Bench;

/// <summary>
/// `vhw bench` capture part: ingest throughput against `--batch-size` (ModelSession.ProcessBatch: image decode, batched
/// greedy generation with AnswerStep2 capture, metrics), batch sizes 1…16 over the same samples, interleaved rounds in
/// one process, medians; each size is compared with batch size 1 measured in the same rounds.
/// </summary>
public static class BatchBenchmark
{
    public static readonly int[] BatchSizes = [1, 2, 4, 8, 16];

    /// <param name="n">Samples per measurement; a multiple of 16 keeps every batch full.</param>
    public static IEnumerable<BenchFigure> Measure(string name, string modelDir, string benchDir, int n, int rounds, CancellationToken ct)
    {
        using var session = new ModelSession(modelDir, CaptureQuery.AnswerStep2, maxNewTokens: 4, torch.ScalarType.Float32, torch.CPU);
        var samples = BenchmarkReader.Read(benchDir).OfType<BenchmarkSample>().Take(n).ToList();
        double Time(int batchSize)
        {
            var sw = Stopwatch.StartNew();
            foreach (var batch in samples.Chunk(batchSize))
                session.ProcessBatch(batch, "bench", benchDir);
            return sw.Elapsed.TotalSeconds;
        }

        foreach (int b in BatchSizes) Time(b); // warm-up
        var times = BatchSizes.ToDictionary(b => b, _ => new List<double>());
        for (int r = 0; r < rounds; r++)
            for (int m = 0; m < BatchSizes.Length; m++)
            {
                ct.ThrowIfCancellationRequested();
                int b = BatchSizes[(r + m) % BatchSizes.Length];   // rotate the order so no size always runs first
                times[b].Add(Time(b));
            }

        double one = n / CaptureBenchmark.Median(times[1]);
        foreach (int b in BatchSizes)
        {
            double rate = n / CaptureBenchmark.Median(times[b]);
            yield return new($"{name}: ingest throughput at --batch-size {b} ({samples.Count} samples)", $"{rate:0.0} samples/s",
                b == 1 ? "(the anchor)" : $"--batch-size 1: {one:0.0} samples/s", $"{rate / one:0.00}× throughput", b == 1 ? "—" : "> 1×");
        }
    }
}
