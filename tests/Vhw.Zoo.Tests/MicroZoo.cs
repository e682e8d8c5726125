using TorchSharp;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Tokenization;
using Vhw.Zoo.Data;
using Vhw.Zoo.Training;

namespace Vhw.Zoo.Tests;

/// <summary>A few hundred samples, the shared assets and a random-init vision tower in a temp folder: enough to train a micro model for a few steps.</summary>
public sealed class MicroZoo : IDisposable
{
    public static readonly ZooModelSpec Spec = new()
    {
        Family = "vicuna", Scale = "micro", Layers = 1, Hidden = 32, Heads = 8, KvHeads = 8, Intermediate = 64,
        Stage1Steps = 3, Stage2Steps = 16, BatchSize = 8, Stage1Lr = 1e-2, Stage2Lr = 1e-2, Seed = 3,
    };
    public static readonly VisionSpec Vision = new() { Hidden = 16, Intermediate = 32, Layers = 2, Heads = 2 };

    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-zoo-micro-").FullName;
    public ZooDataset.Paths Data { get; }
    public LlavaTokenizer Tokenizer { get; }
    public ClipImageProcessor Processor { get; }
    public LlavaConfig Config { get; }
    public ClipVisionModel Tower { get; }
    public TrainSet Captions { get; }
    public TrainSet Qa { get; }

    public MicroZoo()
    {
        torch.set_num_threads(1);
        var spec = new ZooDataSpec { TrainPerBenchmark = 40, TrainCaptions = 24, ValPerBenchmark = 6, TestPerBenchmark = 12 };
        Data = ZooDataset.Write(Path.Combine(Root, "data"), spec);
        string shared = Path.Combine(Root, "shared");
        SharedAssets.Write(shared, [Data.Train, Data.Captions, Data.Val, .. ZooDataset.Benchmarks.Select(b => Data.Test(b.Name))]);
        Tokenizer = LlavaTokenizer.Load(shared);
        Processor = ClipImageProcessor.Load(shared);
        Config = Spec.ToConfig(Tokenizer, Vision);
        torch.manual_seed(1);
        Tower = new ClipVisionModel(Config.VisionConfig, torch.ScalarType.Float32, torch.CPU);
        var template = ConversationTemplate.ForModel(Config);
        torch.Tensor Features(string folder) => TrainSet.ComputeFeatures(folder, Processor, Tower, Config.VisionHiddenStateIndex,
            Path.Combine(Root, "vision", $"features-{Path.GetFileName(folder)}.bin"));
        Captions = TrainSet.Load(Data.Captions, Tokenizer, template, Features);
        Qa = TrainSet.Load(Data.Train, Tokenizer, template, Features);
    }

    public ZooTrainer Trainer(string runDir, Action<int, int>? onStep = null, ZooModelSpec? spec = null) =>
        new(spec ?? Spec, Config, runDir, _ => { }) { CheckpointEvery = 4, LogEvery = 1, OnStep = onStep };

    public void Initialise(Vhw.Modeling.Llava.LlavaForConditionalGeneration model) => ZooInit.Initialise(model, Spec.Seed, Tower);

    public void Dispose()
    {
        Captions.Dispose();
        Qa.Dispose();
        Tower.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
