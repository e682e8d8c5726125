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
    public SampleOutcome Process(BenchmarkSample s, string runId, string benchmarkDir, HeadAblation? ablation = null)
    {
        RejectRow Reject(string field, string reason) => new()
        {
            RunId = runId, SourceFile = s.SourceFile ?? BenchmarkReader.QuestionsPath(benchmarkDir), Line = s.Line, SampleId = s.Id, Field = field, Reason = reason,
        };

        ProcessedImage image;
        try { image = SampleImage.Preprocess(Processor, s, benchmarkDir); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException
                                       or SixLabors.ImageSharp.ImageFormatException or SixLabors.ImageSharp.UnknownImageFormatException)
        { return new(null, null, Reject("image", e.Message)); }

        string prompt = BenchmarkPromptStyle.For(s.Kind).Prompt(Template, s.Question, s.Hint, s.Options);
        int[] ids = Tokenizer.Encode(prompt, addBos: true);
        int context = Loaded.Config.TextConfig.MaxPositionEmbeddings;
        int expanded = ids.Length - 1 + Loaded.Config.ImageSeqLength + MaxNewTokens + 1;
        if (expanded > context)
            return new(null, null, Reject("question", $"prompt needs {expanded} positions (with image tokens and answer), the model's context is {context}; not truncated"));

        IReadOnlyList<int>? regionPatches = null;
        if (s.Box is { } box)
            regionPatches = Processor.RegionPatches(box, image.SourceWidth, image.SourceHeight,
                Loaded.Config.VisionConfig.PatchSize, Loaded.Config.VisionConfig.ImageSize / Loaded.Config.VisionConfig.PatchSize);

        GenerationResult result;
        using (var scope = torch.NewDisposeScope())
        {
            var pixels = torch.tensor(image.Pixels, new long[] { 1, 3, image.Height, image.Width })
                .to(Loaded.Model.Dtype, Loaded.Model.Device);
            try { FaultPoints.MaybeOutOfMemory(); result = Loaded.Model.Generate(ids.Select(i => (long)i).ToArray(), pixels, MaxNewTokens, Tokenizer.EosId, Query, ablation); }
            catch (Exception e) when (IsOutOfMemory(e))
            {
                // Batches are single samples, so there is nothing left to split: reject this one and go on.
                return new(null, null, Reject("image", $"out of memory on {Loaded.Model.Device}: {e.Message.Split('\n')[0]}"));
            }
        }

        var spans = TokenSpans.For(result.KeyCount, result.ImageStart, result.ImageTokenCount, regionPatches);
        var facts = HeadFacts.From(result, Query, spans, runId, s.Id);
        string prediction = Tokenizer.Decode(result.GeneratedIds).Trim();
        var sample = new SampleRow
        {
            RunId = runId, SampleId = s.Id, QueryKind = Query.ToWarehouseName(), ImageFile = s.ImagePath,
            Question = s.Question, Prompt = prompt, Answer = s.Answer, Prediction = prediction,
            Correct = SampleScorer.IsCorrect(s, prediction),
            NPromptTokens = result.InputIds.Length, NKeys = result.KeyCount, ImageStart = result.ImageStart,
            NImageTokens = result.ImageTokenCount, NRegionTokens = spans.Region?.Count ?? 0,
            BoxX0 = s.Box?[0], BoxY0 = s.Box?[1], BoxX1 = s.Box?[2], BoxY1 = s.Box?[3],
            FirstTokenId = result.FirstTokenId, NGeneratedTokens = result.GeneratedIds.Length,
        };
        return new(sample, facts, null);
    }

    static bool IsOutOfMemory(Exception e) =>
        e is OutOfMemoryException || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase);

    public void Dispose() => Loaded.Model.Dispose();
}
