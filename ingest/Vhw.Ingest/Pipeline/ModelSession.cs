using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Scoring;
using Vhw.Ingest.Capture;
using Vhw.Ingest.Reliability;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Loading;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Ingest.Pipeline;

/// <summary>The result of one sample: either a sample row with its facts, or a reject.</summary>
public sealed record SampleOutcome(SampleRow? Sample, List<HeadFactRow>? Facts, RejectRow? Reject);

/// <summary>
/// One loaded model with its tokenizer, image processor and prompt template; turns benchmark
/// samples into warehouse rows. Per-sample problems become rejects; the run goes on.
/// </summary>
public sealed class ModelSession : IDisposable
{
    public string Name { get; }
    public LoadedLlava Loaded { get; }
    public LlavaTokenizer Tokenizer { get; }
    public ClipImageProcessor Processor { get; }
    public ConversationTemplate Template { get; }
    public CaptureQuery Query { get; }
    public int MaxNewTokens { get; }
    public string WeightsSha256 => Loaded.WeightsSha256;

    public ModelSession(string modelDir, CaptureQuery query, int maxNewTokens, torch.ScalarType dtype, torch.Device device)
    {
        Name = PartitionPath.ValidateName(Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')), "model");
        Loaded = LlavaCheckpoint.Load(modelDir, dtype, device);
        Tokenizer = LlavaTokenizer.Load(modelDir);
        Processor = ClipImageProcessor.Load(modelDir);
        Template = ConversationTemplate.ForModel(Loaded.Config);
        Query = query;
        MaxNewTokens = maxNewTokens;
    }

    public ModelRow Describe(string dtype)
    {
        var c = Loaded.Config;
        string trainingFile = Path.Combine(Loaded.Folder, ModelRow.TrainingFileName);
        return new ModelRow
        {
            Family = c.Family, Scale = FormatScale(Loaded.ParameterCount), SourceDir = Path.GetFullPath(Loaded.Folder),
            WeightsSha256 = WeightsSha256, Dtype = dtype,
            NLayers = c.TextConfig.NumHiddenLayers, NHeads = c.TextConfig.NumAttentionHeads,
            NKvHeads = c.TextConfig.NumKeyValueHeads, HiddenSize = c.TextConfig.HiddenSize, HeadDim = c.TextConfig.HeadDim,
            VisionLayers = c.VisionConfig.NumHiddenLayers, NImageTokens = c.ImageSeqLength, NParams = Loaded.ParameterCount,
            TrainingJson = File.Exists(trainingFile) ? File.ReadAllText(trainingFile) : null,
        };
    }

    static string FormatScale(long n) => n >= 1_000_000_000 ? $"{n / 1e9:0.#}B" : n >= 1_000_000 ? $"{n / 1e6:0.#}M" : $"{n / 1e3:0.#}K";

    /// <param name="ablation">Decoder heads removed while generating (vhw ablate); null = the unablated model.</param>
    public SampleOutcome Process(BenchmarkSample s, string runId, string benchmarkDir, HeadAblation? ablation = null) =>
        ProcessBatch([s], runId, benchmarkDir, ablation)[0];

    /// <summary>
    /// <see cref="Process"/> for several samples, generated in one left-padded batch (<c>GenerateBatch</c>); outcome i
    /// belongs to sample i and equals what <see cref="Process"/> gives it alone (rows within float tolerance). A single
    /// sample left after the rejects takes the batch-1 decoder. When the batch runs out of memory it is split into single
    /// samples, and only a sample that runs out of memory alone is rejected.
    /// </summary>
    public SampleOutcome[] ProcessBatch(IReadOnlyList<BenchmarkSample> batch, string runId, string benchmarkDir, HeadAblation? ablation = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new SampleOutcome[batch.Count];
        var ready = new List<(int Index, PreparedSample Sample)>();
        for (int i = 0; i < batch.Count; i++)
        {
            var (prepared, reject) = Prepare(batch[i], runId, benchmarkDir);
            if (reject is not null) outcomes[i] = new(null, null, reject);
            else ready.Add((i, prepared!));
        }

        GenerationResult[]? results = null;
        if (ready.Count > 1)
        {
            try { results = GenerateBatch(ready.Select(r => r.Sample).ToList(), ablation); }
            catch (Exception e) when (IsOutOfMemory(e)) { } // split: every sample alone below
        }
        for (int k = 0; k < ready.Count; k++)
        {
            var (i, sample) = ready[k];
            if (results is not null) { outcomes[i] = Finish(sample, results[k], runId); continue; }
            try { outcomes[i] = Finish(sample, GenerateOne(sample, ablation), runId); }
            catch (Exception e) when (IsOutOfMemory(e))
            {
                // a single sample has nothing left to split: reject this one and go on
                outcomes[i] = new(null, null, sample.Reject("image", $"out of memory on {Loaded.Model.Device}: {e.Message.Split('\n')[0]}"));
            }
        }
        return outcomes;
    }

    /// <summary>Image, prompt and ids of one sample, or its reject (unreadable image, prompt longer than the context).</summary>
    (PreparedSample? Sample, RejectRow? Reject) Prepare(BenchmarkSample s, string runId, string benchmarkDir)
    {
        RejectRow Reject(string field, string reason) => PreparedSample.RejectOf(s, runId, benchmarkDir, field, reason);

        ProcessedImage image;
        try { image = SampleImage.Preprocess(Processor, s, benchmarkDir); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException
                                       or SixLabors.ImageSharp.ImageFormatException or SixLabors.ImageSharp.UnknownImageFormatException)
        { return (null, Reject("image", e.Message)); }

        string prompt = BenchmarkPromptStyle.For(s.Kind).Prompt(Template, s.Question, s.Hint, s.Options);
        int[] ids = Tokenizer.Encode(prompt, addBos: true);
        int context = Loaded.Config.TextConfig.MaxPositionEmbeddings;
        int expanded = ids.Length - 1 + Loaded.Config.ImageSeqLength + MaxNewTokens + 1;
        if (expanded > context)
            return (null, Reject("question", $"prompt needs {expanded} positions (with image tokens and answer), the model's context is {context}; not truncated"));

        IReadOnlyList<int>? regionPatches = null;
        if (s.Box is { } box)
            regionPatches = Processor.RegionPatches(box, image.SourceWidth, image.SourceHeight,
                Loaded.Config.VisionConfig.PatchSize, Loaded.Config.VisionConfig.ImageSize / Loaded.Config.VisionConfig.PatchSize);
        return (new PreparedSample(s, prompt, ids.Select(i => (long)i).ToArray(), image, regionPatches, runId, benchmarkDir), null);
    }

    GenerationResult GenerateOne(PreparedSample p, HeadAblation? ablation)
    {
        using var scope = torch.NewDisposeScope();
        var pixels = torch.tensor(p.Image.Pixels, new long[] { 1, 3, p.Image.Height, p.Image.Width })
            .to(Loaded.Model.Dtype, Loaded.Model.Device);                           // (1, 3, H, W)
        FaultPoints.MaybeOutOfMemory();
        return Loaded.Model.Generate(p.Ids, pixels, MaxNewTokens, Tokenizer.EosId, Query, ablation);
    }

    GenerationResult[] GenerateBatch(IReadOnlyList<PreparedSample> batch, HeadAblation? ablation)
    {
        using var scope = torch.NewDisposeScope();
        var pixels = torch.cat(batch.Select(p => torch.tensor(p.Image.Pixels, new long[] { 1, 3, p.Image.Height, p.Image.Width })).ToList(), 0)
            .to(Loaded.Model.Dtype, Loaded.Model.Device);                           // (B, 3, H, W)
        FaultPoints.MaybeOutOfMemory();
        return Loaded.Model.GenerateBatch(batch.Select(p => p.Ids).ToList(), pixels, MaxNewTokens, Tokenizer.EosId, Query, ablation);
    }

    SampleOutcome Finish(PreparedSample p, GenerationResult result, string runId)
    {
        var s = p.Source;
        var spans = TokenSpans.For(result.KeyCount, result.ImageStart, result.ImageTokenCount, p.RegionPatches);
        var facts = HeadFacts.From(result, Query, spans, runId, s.Id);
        string prediction = Tokenizer.Decode(result.GeneratedIds).Trim();
        var sample = new SampleRow
        {
            RunId = runId, SampleId = s.Id, QueryKind = Query.ToWarehouseName(), ImageFile = s.ImagePath,
            Question = s.Question, Prompt = p.Prompt, Answer = s.Answer, Prediction = prediction,
            Correct = SampleScorer.IsCorrect(s, prediction),
            NPromptTokens = result.InputIds.Length, NKeys = result.KeyCount, ImageStart = result.ImageStart,
            NImageTokens = result.ImageTokenCount, NRegionTokens = spans.Region?.Count ?? 0,
            BoxX0 = s.Box?[0], BoxY0 = s.Box?[1], BoxX1 = s.Box?[2], BoxY1 = s.Box?[3],
            FirstTokenId = result.FirstTokenId, NGeneratedTokens = result.GeneratedIds.Length,
        };
        return new(sample, facts, null);
    }

    /// <summary>CUDA's "out of memory" and libtorch's CPU allocator's "DefaultCPUAllocator: not enough memory".</summary>
    static bool IsOutOfMemory(Exception e) =>
        e is OutOfMemoryException || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                                  || e.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase);

    public void Dispose() => Loaded.Model.Dispose();
}
