using TorchSharp;
using Vhw.Modeling.Loading;
using Vhw.Zoo.Evaluation;
using Vhw.Zoo.Training;

namespace Vhw.Zoo.Tests;

public sealed class TrainerTests(MicroZooFixture fixture) : IClassFixture<MicroZooFixture>
{
    readonly MicroZoo _zoo = fixture.Zoo;

    [Fact]
    public void Training_lowers_the_loss_and_logs_every_step()
    {
        string run = Path.Combine(_zoo.Root, "run-loss");
        var (model, _) = _zoo.Trainer(run).Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, CancellationToken.None);
        model.Dispose();
        var rows = LossLog.Read(Path.Combine(run, ZooTrainer.LossFile));
        Assert.Equal(MicroZoo.Spec.Stage1Steps + MicroZoo.Spec.Stage2Steps, rows.Count);
        var stage2 = rows.Where(r => r.Stage == 2).Select(r => r.Loss).ToList();
        Assert.True(stage2.TakeLast(3).Average() < rows.Take(3).Average(r => r.Loss) - 1.0,
            $"loss did not fall: first {rows.Take(3).Average(r => r.Loss):0.00}, last {stage2.TakeLast(3).Average():0.00}");
    }

    [Fact]
    public void An_interrupted_run_resumes_from_its_checkpoint_and_ends_with_the_same_weights()
    {
        string straight = Path.Combine(_zoo.Root, "run-straight"), resumed = Path.Combine(_zoo.Root, "run-resumed");
        var (a, secondsA) = _zoo.Trainer(straight).Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, CancellationToken.None);

        using var cts = new CancellationTokenSource();
        var interrupted = _zoo.Trainer(resumed, (stage, step) => { if (stage == 2 && step == 6) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => interrupted.Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, cts.Token));
        Assert.Equal(new TrainState(2, 4, TrainState.Read(resumed)!.Seconds), TrainState.Read(resumed));
        var (b, _) = _zoo.Trainer(resumed).Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, CancellationToken.None);

        var pa = a.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in b.named_parameters())
            Assert.True(pa[name].eq(p).all().item<bool>(), $"{name} differs after resume");
        Assert.Equal(File.ReadLines(Path.Combine(straight, ZooTrainer.LossFile)).Select(l => string.Join(',', l.Split(',')[..4])),
                     File.ReadLines(Path.Combine(resumed, ZooTrainer.LossFile)).Select(l => string.Join(',', l.Split(',')[..4])));
        Assert.True(secondsA > 0);
        a.Dispose();
        b.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stage_1_trains_the_decoder_only_when_the_recipe_says_so(bool trainsDecoder)
    {
        var spec = MicroZoo.Spec with { Stage1TrainsDecoder = trainsDecoder, Stage2Steps = 0 };
        var (trained, _) = _zoo.Trainer(Path.Combine(_zoo.Root, $"run-stage1-{trainsDecoder}"), spec: spec)
            .Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, CancellationToken.None);
        using var initial = new Vhw.Modeling.Llava.LlavaForConditionalGeneration(_zoo.Config);
        _zoo.Initialise(initial);
        var before = initial.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var changed = trained.named_parameters().Where(p => !before[p.name].eq(p.parameter).all().item<bool>()).Select(p => p.name).ToList();
        trained.Dispose();
        Assert.Contains(changed, n => n.StartsWith("model.multi_modal_projector.", StringComparison.Ordinal));
        Assert.DoesNotContain(changed, n => n.StartsWith("model.vision_tower.", StringComparison.Ordinal));
        Assert.Equal(trainsDecoder, changed.Any(n => n.StartsWith("model.language_model.", StringComparison.Ordinal) || n.StartsWith("lm_head.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Exported_fp16_model_loads_through_the_normal_loader_and_answers()
    {
        string run = Path.Combine(_zoo.Root, "run-export"), dir = Path.Combine(_zoo.Root, "model-export");
        var (model, _) = _zoo.Trainer(run).Train(_zoo.Initialise, _zoo.Captions, _zoo.Qa, CancellationToken.None);
        ZooInit.ExportFp16(dir, _zoo.Config, model);
        SharedAssets.CopyTo(Path.Combine(_zoo.Root, "shared"), dir);
        var loaded = LlavaCheckpoint.Load(dir);
        Assert.Equal("vicuna", loaded.Config.Family);
        var original = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in loaded.Model.named_parameters())
            Assert.True(torch.allclose(original[name], p, rtol: 1e-3, atol: 1e-3), $"{name} changed by the fp16 round trip beyond fp16 precision");
        loaded.Model.Dispose();
        model.Dispose();
        using var evaluator = new ZooEvaluator(dir);
        var score = evaluator.Score(_zoo.Data.Test("pope-like"), limit: 4);
        Assert.Equal(4, score.N);
        Assert.InRange(score.Accuracy, 0, 1);
    }
}

public sealed class FamilyExportTests(MicroZooFixture fixture) : IClassFixture<MicroZooFixture>
{
    [Theory]
    [InlineData("llama3", "llama", "k_proj")]
    [InlineData("mistral", "mistral", "k_proj")]
    [InlineData("phi3", "phi3", "qkv_proj")]
    public void Every_family_exports_a_folder_the_normal_loader_reads_back(string family, string modelType, string attentionKey)
    {
        var zoo = fixture.Zoo;
        var spec = MicroZoo.Spec with { Family = family, KvHeads = 2, SlidingWindow = family == "mistral" ? 16 : family == "phi3" ? 2047 : null };
        var config = spec.ToConfig(zoo.Tokenizer, MicroZoo.Vision);
        string dir = Path.Combine(zoo.Root, "export-" + family);
        using var model = new Vhw.Modeling.Llava.LlavaForConditionalGeneration(config);
        ZooInit.Initialise(model, spec.Seed, zoo.Tower);
        ZooInit.ExportFp16(dir, config, model);
        var header = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "model.safetensors")).AsSpan(8, 4096));
        Assert.Contains($"self_attn.{attentionKey}.weight", header);
        var loaded = LlavaCheckpoint.Load(dir);
        Assert.Equal(family, loaded.Config.Family);
        Assert.Equal(modelType, loaded.Config.TextConfig.ModelType);
        var original = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in loaded.Model.named_parameters())
            Assert.True(torch.allclose(original[name], p, rtol: 1e-3, atol: 1e-3), $"{family}: {name} differs after export");
        loaded.Model.Dispose();
    }
}

public sealed class MicroZooFixture : IDisposable
{
    public MicroZoo Zoo { get; } = new();
    public void Dispose() => Zoo.Dispose();
}
