using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Default;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Worker;
using Vhw.Modeling.Default;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Ingest.Bench;

/// <param name="Anchor">What the figure is compared with (measured in the same run).</param>
public sealed record BenchFigure(string Name, string Value, string Anchor, string Ratio, string Goal);

/// <summary>
/// `vhw bench`: capture overhead vs plain greedy generation of the same tokens (interleaved rounds in one
/// process, medians), the ingest throughput curve against batch size (<see cref="BatchBenchmark"/>), and storage per fact. Ratios are measured side by side; machines are noisy.
/// </summary>
public static class CaptureBenchmark
{
    public sealed record Config(string Name, TinyLlavaSpec Spec, int Samples, int ImageSize, int PatchSize);

    public static List<BenchFigure> Run(string workDir, int rounds, IProgress<string> log, CancellationToken ct)
    {
        var figures = new List<BenchFigure>();
        var paths = DefaultAssets.Create(Path.Combine(workDir, "default"), samples: 48);
        var tokenizer = LlavaTokenizer.Load(paths.ModelDir);
        var configs = new[]
        {
            new Config("default tiny (4 layers × 4 heads, 16 image tokens)", null!, 48, 32, 8),
            new Config("larger synthetic (8 layers × 16 heads, 256 image tokens)", new TinyLlavaSpec
            {
                VocabSize = tokenizer.VocabSize, ImageTokenIndex = tokenizer.ImageTokenId, BosTokenId = tokenizer.BosId,
                EosTokenId = tokenizer.EosId, PadTokenId = tokenizer.PadId, ImageSize = 128, PatchSize = 8,
                VisionHiddenSize = 64, VisionIntermediateSize = 128, TextHiddenSize = 256, TextIntermediateSize = 512,
                TextLayers = 8, TextHeads = 16, TextKvHeads = 16, Seed = 7,
            }, 16, 128, 8),
        };

        foreach (var c in configs)
        {
            ct.ThrowIfCancellationRequested();
            string modelDir = paths.ModelDir, benchDir = paths.BenchmarkDir;
            if (c.Spec is not null)
            {
                modelDir = Path.Combine(workDir, "large", "models", "large-synthetic");
                benchDir = Path.Combine(workDir, "large", "benchmarks", "synthetic-128px");
                File.Copy(Path.Combine(paths.ModelDir, LlavaTokenizer.FileName), Path.Combine(Directory.CreateDirectory(modelDir).FullName, LlavaTokenizer.FileName), true);
                TinyLlava.Create(modelDir, c.Spec);
                SyntheticBenchmark.Write(benchDir, c.Samples, seed: 11, imageSize: c.ImageSize, patchSize: c.PatchSize);
            }
            log.Report($"bench: {c.Name}");
            figures.AddRange(MeasureOverhead(c.Name, modelDir, benchDir, c.Samples, rounds, ct));
            figures.AddRange(BatchBenchmark.Measure(c.Name, modelDir, benchDir, c.Samples, rounds, ct));
            figures.AddRange(MeasureStorage(c.Name, modelDir, benchDir, Path.Combine(workDir, "warehouse-" + figures.Count), ct));
        }
        return figures;
    }

    static IEnumerable<BenchFigure> MeasureOverhead(string name, string modelDir, string benchDir, int n, int rounds, CancellationToken ct)
    {
        using var session = new ModelSession(modelDir, CaptureQuery.AnswerStep2, maxNewTokens: 4, torch.ScalarType.Float32, torch.CPU);
        var samples = BenchmarkReader.Read(benchDir).OfType<BenchmarkSample>().Take(n).ToList();
        var inputs = samples.Select(s =>
        {
            var img = session.Processor.Preprocess(Path.Combine(benchDir, s.ImagePath));
            var ids = session.Tokenizer.Encode(session.Template.Format(s.Question), addBos: true).Select(i => (long)i).ToArray();
            return (ids, img);
        }).ToList();

        double Time(Action<int> work)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < inputs.Count; i++) work(i);
            return sw.Elapsed.TotalSeconds;
        }
        void Generate(int i, CaptureQuery? q)
        {
            using var scope = torch.NewDisposeScope();
            var (ids, img) = inputs[i];
            var px = torch.tensor(img.Pixels, new long[] { 1, 3, img.Height, img.Width });
            session.Loaded.Model.Generate(ids, px, 4, session.Tokenizer.EosId, q);
        }

        // what a plain answer-generating script does per sample: decode and preprocess the image, format and tokenize the
        // prompt, generate greedily (no capture) — the anchor of the per-sample ingest work below
        void PlainPipeline(int i)
        {
            using var scope = torch.NewDisposeScope();
            var s = samples[i];
            var img = SampleImage.Preprocess(session.Processor, s, benchDir);
            string prompt = BenchmarkPromptStyle.For(s.Kind).Prompt(session.Template, s.Question, s.Hint, s.Options);
            var ids = session.Tokenizer.Encode(prompt, addBos: true).Select(t => (long)t).ToArray();
            var px = torch.tensor(img.Pixels, new long[] { 1, 3, img.Height, img.Width });
            session.Loaded.Model.Generate(ids, px, 4, session.Tokenizer.EosId, null);
        }

        Time(i => Generate(i, null)); Time(i => Generate(i, CaptureQuery.AnswerStep2)); // warm-up
        Time(PlainPipeline); Time(i => session.Process(samples[i], "bench", benchDir));
        var plain = new List<double>(); var capture = new List<double>(); var plainPipeline = new List<double>(); var pipeline = new List<double>();
        var modes = new (List<double> times, Action<int> work)[]
        {
            (plain, i => Generate(i, null)),
            (capture, i => Generate(i, CaptureQuery.AnswerStep2)),
            (plainPipeline, PlainPipeline),
            (pipeline, i => session.Process(samples[i], "bench", benchDir)),
        };
        for (int r = 0; r < rounds; r++)
        {
            // rotate the order every round so no mode always runs first (warm caches, GC, frequency drift)
            for (int m = 0; m < modes.Length; m++)
            {
                ct.ThrowIfCancellationRequested();
                var (times, work) = modes[(r + m) % modes.Length];
                times.Add(Time(work));
            }
        }
        // each round times every mode back to back, so a round's ratio compares like with like; the median of the
        // per-round ratios is less exposed to a busy neighbour than a ratio of medians taken over different rounds
        double p = Median(plain), c = Median(capture), pp = Median(plainPipeline), f = Median(pipeline);
        double captureRatio = Median(capture.Zip(plain, (x, y) => x / y).ToList());
        double pipelineRatio = Median(pipeline.Zip(plainPipeline, (x, y) => x / y).ToList());
        yield return new($"{name}: greedy generation + row capture", $"{n / c:0.0} samples/s", $"plain greedy generation, same tokens: {n / p:0.0} samples/s", $"{captureRatio:0.00}× time", "≤ 1.10×");
        yield return new($"{name}: per-sample ingest work (image decode, prompt, generation + capture, metrics, rows)", $"{n / f:0.0} samples/s",
            $"plain generation of the same answers from the files (image decode, prompt, greedy generation): {n / pp:0.0} samples/s", $"{pipelineRatio:0.00}× time", "≤ 1.10×");

        var cfg = session.Loaded.Config;
        long layers = cfg.TextConfig.NumHiddenLayers, heads = cfg.TextConfig.NumAttentionHeads;
        long keys = inputs[0].ids.Length - 1 + cfg.ImageSeqLength + 1;
        long rowBytes = layers * heads * keys * 4, fullBytes = layers * heads * keys * keys * 4;
        yield return new($"{name}: attention kept per sample (analytic, fp32)", $"{rowBytes / 1024.0:0.0} KiB (L·H·S rows)",
            $"full attention matrices: {fullBytes / 1024.0:0.0} KiB (L·H·S²)", $"{(double)fullBytes / rowBytes:0}× less", "O(L·H·S)");
    }

    static IEnumerable<BenchFigure> MeasureStorage(string name, string modelDir, string benchDir, string warehouse, CancellationToken ct)
    {
        var options = new IngestOptions { Warehouse = warehouse, ChunkSize = 100_000, MaxNewTokens = 4 };
        using (var session = new ModelSession(modelDir, CaptureQuery.AnswerStep2, 4, torch.ScalarType.Float32, torch.CPU))
            new IngestJob(session, options, NullLogger.Instance).RunAsync(benchDir, null, ct).GetAwaiter().GetResult();

        var parts = Directory.GetFiles(Path.Combine(warehouse, IngestJob.HeadFactsTable), "*.parquet", SearchOption.AllDirectories);
        long bytes = parts.Sum(f => new FileInfo(f).Length);
        long facts = Directory.GetFiles(Path.Combine(warehouse, "_manifests"), "*.jsonl", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines).Where(l => l.Length > 0)
            .Sum(l => System.Text.Json.JsonSerializer.Deserialize<RunManifest.ChunkEntry>(l)!.HeadFacts);
        double perFact = (double)bytes / facts;
        const double dumpPerSample = 32 * 32 * 641 * 2; // fp16 attention rows of a 32-layer × 32-head model, 641 keys
        double ours = perFact * 32 * 32;
        yield return new($"{name}: head_facts bytes per (sample, layer, head), all metrics", $"{perFact:0.0} B ({facts:N0} facts, {bytes:N0} B)", "—", "—", "small");
        yield return new($"{name}: bytes per sample, 32 layers × 32 heads, 641 keys (from bytes/fact)", $"{ours / 1024:0.0} KiB",
            $"fp16 attention rows: {dumpPerSample / 1024 / 1024:0.00} MiB", $"{dumpPerSample / ours:0}× smaller", "≥ 50×");
    }

    internal static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
}
