using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Loading;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Zoo.Evaluation;

/// <summary>Accuracy of one benchmark: with the real image and with a white image in its place (the paper's control), overall and per task.</summary>
public sealed record BenchmarkScore(string Benchmark, int N, double Accuracy, double BlankAccuracy, IReadOnlyDictionary<string, double> ByTask);

/// <summary>
/// Scores a saved zoo model exactly as ingest runs it: loaded through <see cref="LlavaCheckpoint"/>, prompt from the
/// family's template, image through the CLIP processor, greedy decoding, <see cref="AnswerScorer"/>.
/// </summary>
public sealed class ZooEvaluator : IDisposable
{
    readonly LoadedLlava _model;
    readonly LlavaTokenizer _tokenizer;
    readonly ClipImageProcessor _processor;
    readonly ConversationTemplate _template;
    readonly float[] _white;

    public ZooEvaluator(string modelDir)
    {
        _model = LlavaCheckpoint.Load(modelDir);
        _tokenizer = LlavaTokenizer.Load(modelDir);
        _processor = ClipImageProcessor.Load(modelDir);
        _template = ConversationTemplate.ForModel(_model.Config);
        int size = _model.Config.VisionConfig.ImageSize;
        using var white = new Image<Rgb24>(size, size, new Rgb24(255, 255, 255));
        _white = _processor.Preprocess(white);
    }

    public long ParameterCount => _model.ParameterCount;

    public Vhw.Modeling.Configs.LlavaConfig Config => _model.Config;

    /// <summary>Linear probes of cell, quadrant and content on this member's image features, before and after its projector.</summary>
    public Findings.PositionProbe.Result ProbePositions(int scenes = Findings.PositionProbe.DefaultScenes) =>
        Findings.PositionProbe.Measure(_model.Model, _processor, scenes);

    /// <summary>Greedy answer for a question about preprocessed pixels (CHW).</summary>
    public string Answer(string question, float[] pixels, int maxNewTokens = 4)
    {
        int size = _model.Config.VisionConfig.ImageSize;
        long[] ids = _tokenizer.Encode(_template.Format(question), addBos: true).Select(i => (long)i).ToArray();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(pixels, [1, 3, size, size]);
        var result = _model.Model.Generate(ids, x, maxNewTokens, _tokenizer.EosId, capture: null);
        return _tokenizer.Decode(result.GeneratedIds).Trim();
    }

    /// <summary>Greedy generation for an image file with attention capture of <paramref name="query"/> (as ingest runs it).</summary>
    public Vhw.Modeling.Generation.GenerationResult Generate(string question, string imagePath, Vhw.Modeling.Generation.CaptureQuery query, int maxNewTokens = 4)
    {
        int size = _model.Config.VisionConfig.ImageSize;
        long[] ids = _tokenizer.Encode(_template.Format(question), addBos: true).Select(i => (long)i).ToArray();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(_processor.Preprocess(imagePath).Pixels, [1, 3, size, size]);
        return _model.Model.Generate(ids, x, maxNewTokens, _tokenizer.EosId, query);
    }

    /// <summary>Scores the first <paramref name="limit"/> samples of a benchmark folder (all when null).</summary>
    public BenchmarkScore Score(string folder, int? limit = null)
    {
        var samples = BenchmarkReader.Read(folder).OfType<BenchmarkSample>().Take(limit ?? int.MaxValue).ToList();
        var rows = samples.Select(s =>
        {
            var pixels = _processor.Preprocess(Path.Combine(folder, s.ImagePath)).Pixels;
            bool ok = AnswerScorer.IsCorrect(Answer(s.Question, pixels), s.Answer);
            bool blank = AnswerScorer.IsCorrect(Answer(s.Question, _white), s.Answer);
            return (Task: s.Task ?? "", Ok: ok, Blank: blank);
        }).ToList();
        var byTask = rows.GroupBy(r => r.Task).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(r => r.Ok ? 1.0 : 0.0));
        return new BenchmarkScore(Path.GetFileName(folder.TrimEnd('/')), rows.Count,
            rows.Average(r => r.Ok ? 1.0 : 0.0), rows.Average(r => r.Blank ? 1.0 : 0.0), byTask);
    }

    public void Dispose() => _model.Model.Dispose();
}
