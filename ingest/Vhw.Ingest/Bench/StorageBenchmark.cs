using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;
using Vhw.Ingest.Capture;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Bench;

/// <summary>
/// Storage per fact at the paper's scale: captured attention rows of a 32-layer × 32-head model over 641 keys (576
/// image tokens, 65 text tokens; a box on every third sample) run through the real capture path (HeadFacts.From →
/// HeadStats) and the real writer (PartWriter.Options), in ingest's 64-sample part files, against the 1.3 MB per sample
/// that dumping the fp16 attention rows takes. The rows are synthetic softmaxes (a sink token, a few visual heads that
/// concentrate on some image tokens, noise everywhere), so every metric is a full-precision float as in a real capture.
/// Alternatives are written side by side: the columns stored before the derivable ones were dropped, smaller row
/// groups, larger parts, no BYTE_STREAM_SPLIT.
/// </summary>
public static class StorageBenchmark
{
    public const int Layers = 32, Heads = 32, ImageTokens = 576, TextBefore = 5, TextAfter = 60, Keys = TextBefore + ImageTokens + TextAfter;
    const double DumpBytesPerSample = (double)Layers * Heads * Keys * 2; // fp16 attention rows

    public static IEnumerable<BenchFigure> Run(string workDir, int samples = 128, int seed = 7)
    {
        var facts = Capture(samples, seed);
        var full = facts.Select(FullHeadFactRow.From).ToList();
        const int chunk = 64;
        var figures = new List<BenchFigure>();
        long stored = Write(workDir, "stored", facts, chunk, PartWriter.Options);
        figures.Add(Figure("head_facts as stored (HeadFactRow, zstd, BYTE_STREAM_SPLIT floats, 64-sample parts)", stored, samples, "≥ 50×"));
        figures.Add(Figure("before: also storing text_fraction and the three entropies (derivable, schema.sql derives them)",
            Write(workDir, "full", full, chunk, WithFloatHints(PartWriter.Options, typeof(FullHeadFactRow))), samples, "—"));
        figures.Add(Figure("stored columns, row groups of 8,192 rows", Write(workDir, "rg8k", facts, chunk, Copy(PartWriter.Options, 8_192)), samples, "—"));
        figures.Add(Figure("stored columns, 128-sample parts (chunk size 128)", Write(workDir, "chunk128", facts, 128, PartWriter.Options), samples, "—"));
        figures.Add(Figure("stored columns, plain floats (no BYTE_STREAM_SPLIT)", Write(workDir, "plain", facts, chunk, WithoutHints(PartWriter.Options)), samples, "—"));
        figures.Add(Figure("stored columns, LZ4_RAW instead of zstd (faster to decode; not adopted)", Write(workDir, "lz4", facts, chunk, WithCodec(PartWriter.Options, CompressionMethod.Lz4Raw)), samples, "—"));
        return figures;
    }

    static BenchFigure Figure(string what, long bytes, int samples, string goal)
    {
        double perFact = (double)bytes / ((long)samples * Layers * Heads), perSample = perFact * Layers * Heads;
        return new BenchFigure($"storage, 32 × 32 heads, 641 keys: {what}", $"{perFact:0.0} B/fact, {perSample / 1024:0.0} KiB/sample",
            $"fp16 attention rows: {DumpBytesPerSample / 1e6:0.00} MB/sample", $"{DumpBytesPerSample / perSample:0}× smaller", goal);
    }

    static long Write<T>(string workDir, string name, List<T> rows, int chunkSamples, ParquetOptions options)
    {
        string dir = Directory.CreateDirectory(Path.Combine(workDir, "storage-" + name)).FullName;
        int perChunk = chunkSamples * Layers * Heads;
        long bytes = 0;
        for (int i = 0; i * perChunk < rows.Count; i++)
        {
            string path = Path.Combine(dir, $"part-{i:D5}.parquet");
            using (var stream = File.Create(path))
                ParquetSerializer.SerializeAsync(rows.Skip(i * perChunk).Take(perChunk).ToList(), stream, options).GetAwaiter().GetResult();
            bytes += new FileInfo(path).Length;
        }
        return bytes;
    }

    // Synthetic captured rows → head_facts rows through the ingest capture code.
    static List<HeadFactRow> Capture(int samples, int seed)
    {
        var rng = new Random(seed);
        var headShape = Enumerable.Range(0, Layers * Heads).Select(_ => (sink: 3 + 5 * rng.NextDouble(), visual: rng.NextDouble() < 0.05,
            spread: 0.3 + 1.5 * rng.NextDouble())).ToArray();
        var facts = new List<HeadFactRow>(samples * Layers * Heads);
        float[] rows = new float[Layers * Heads * Keys];
        double[] logits = new double[Keys];
        for (int s = 0; s < samples; s++)
        {
            int[]? box = s % 3 == 0 ? BoxPatches(rng) : null;
            var spans = TokenSpans.For(Keys, TextBefore, ImageTokens, box);
            int[] salient = Enumerable.Range(0, 8).Select(_ => TextBefore + rng.Next(ImageTokens)).ToArray();
            for (int h = 0; h < Layers * Heads; h++)
            {
                var (sink, visual, spread) = headShape[h];
                for (int j = 0; j < Keys; j++) logits[j] = spread * Normal(rng);
                logits[0] += sink;
                if (visual && rng.NextDouble() < 0.8)
                    foreach (int j in salient) logits[j] += 4 + 2 * rng.NextDouble();
                Softmax(logits, rows.AsSpan(h * Keys, Keys));
            }
            var result = new GenerationResult([], TextBefore, ImageTokens, [], 0, rows, Layers, Heads, Keys);
            facts.AddRange(HeadFacts.From(result, CaptureQuery.AnswerStep2, spans, "0123456789abcdef", $"pope-{s:D6}"));
        }
        return facts;
    }

    static int[] BoxPatches(Random rng)
    {
        int x0 = rng.Next(18), y0 = rng.Next(18), w = 3 + rng.Next(6), h = 3 + rng.Next(6);
        return (from y in Enumerable.Range(y0, Math.Min(h, 24 - y0)) from x in Enumerable.Range(x0, Math.Min(w, 24 - x0)) select y * 24 + x).ToArray();
    }

    static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    static void Softmax(double[] logits, Span<float> row)
    {
        double max = logits.Max(), sum = 0;
        for (int j = 0; j < logits.Length; j++) sum += Math.Exp(logits[j] - max);
        for (int j = 0; j < logits.Length; j++) row[j] = (float)(Math.Exp(logits[j] - max) / sum);
    }

    static ParquetOptions Copy(ParquetOptions o, int rowGroupSize)
    {
        var c = new ParquetOptions { CompressionMethod = o.CompressionMethod, RowGroupSize = rowGroupSize };
        foreach (var (k, v) in o.ColumnEncodingHints) c.ColumnEncodingHints[k] = v;
        return c;
    }

    static ParquetOptions WithCodec(ParquetOptions o, CompressionMethod codec)
    {
        var c = Copy(o, o.RowGroupSize ?? 1_048_576);
        c.CompressionMethod = codec;
        return c;
    }

    static ParquetOptions WithoutHints(ParquetOptions o) => new() { CompressionMethod = o.CompressionMethod, RowGroupSize = o.RowGroupSize };

    static ParquetOptions WithFloatHints(ParquetOptions o, Type rowType)
    {
        var c = Copy(o, o.RowGroupSize ?? 1_048_576);
        foreach (var p in rowType.GetProperties().Where(p => p.PropertyType == typeof(float) || p.PropertyType == typeof(float?)))
            c.ColumnEncodingHints[p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).Cast<JsonPropertyNameAttribute>().Single().Name] =
                EncodingHint.ByteSplitStream;
        return c;
    }

    /// <summary>head_facts as ingest wrote it before the derivable columns were dropped: HeadFactRow + the derivable four.</summary>
    sealed record FullHeadFactRow
    {
        [JsonPropertyName("run_id"), ParquetRequired] public string RunId { get; init; } = "";
        [JsonPropertyName("sample_id"), ParquetRequired] public string SampleId { get; init; } = "";
        [JsonPropertyName("query_kind"), ParquetRequired] public string QueryKind { get; init; } = "";
        [JsonPropertyName("layer")] public short Layer { get; init; }
        [JsonPropertyName("head")] public short Head { get; init; }
        [JsonPropertyName("n_keys")] public int NKeys { get; init; }
        [JsonPropertyName("n_image_tokens")] public int NImageTokens { get; init; }
        [JsonPropertyName("n_region_tokens")] public int NRegionTokens { get; init; }
        [JsonPropertyName("n_text_tokens")] public int NTextTokens { get; init; }
        [JsonPropertyName("image_fraction")] public float ImageFraction { get; init; }
        [JsonPropertyName("image_entropy")] public float? ImageEntropy { get; init; }
        [JsonPropertyName("image_concentration")] public float? ImageConcentration { get; init; }
        [JsonPropertyName("image_top1_share")] public float? ImageTop1Share { get; init; }
        [JsonPropertyName("region_fraction")] public float? RegionFraction { get; init; }
        [JsonPropertyName("region_entropy")] public float? RegionEntropy { get; init; }
        [JsonPropertyName("region_concentration")] public float? RegionConcentration { get; init; }
        [JsonPropertyName("region_top1_share")] public float? RegionTop1Share { get; init; }
        [JsonPropertyName("text_fraction")] public float TextFraction { get; init; }
        [JsonPropertyName("text_entropy")] public float? TextEntropy { get; init; }
        [JsonPropertyName("text_concentration")] public float? TextConcentration { get; init; }
        [JsonPropertyName("text_top1_share")] public float? TextTop1Share { get; init; }

        // the derivable four as ingest computed them: entropy H in nats (HeadStats), text mass = 1 − image mass
        public static FullHeadFactRow From(HeadFactRow r) => new()
        {
            RunId = r.RunId, SampleId = r.SampleId, QueryKind = r.QueryKind, Layer = r.Layer, Head = r.Head, NKeys = r.NKeys,
            NImageTokens = r.NImageTokens, NRegionTokens = r.NRegionTokens, NTextTokens = r.NTextTokens,
            ImageFraction = r.ImageFraction, ImageEntropy = Entropy(r.ImageConcentration, r.NImageTokens),
            ImageConcentration = r.ImageConcentration, ImageTop1Share = r.ImageTop1Share,
            RegionFraction = r.RegionFraction, RegionEntropy = Entropy(r.RegionConcentration, r.NRegionTokens),
            RegionConcentration = r.RegionConcentration, RegionTop1Share = r.RegionTop1Share,
            TextFraction = 1 - r.ImageFraction, TextEntropy = Entropy(r.TextConcentration, r.NTextTokens),
            TextConcentration = r.TextConcentration, TextTop1Share = r.TextTop1Share,
        };

        static float? Entropy(float? concentration, int n) => concentration is { } c ? (float)((1 - c) * Math.Log(n)) : null;
    }
}
