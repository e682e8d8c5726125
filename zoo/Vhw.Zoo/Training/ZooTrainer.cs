using System.Diagnostics;
using TorchSharp;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Llava;
using Vhw.Zoo.Data;
using static TorchSharp.torch;

namespace Vhw.Zoo.Training;

/// <summary>
/// LLaVA's two-stage recipe on one zoo member, resumable. The vision tower (copied in from the shared encoder) stays
/// frozen and is never run: training reads its cached patch features. Stage 1 aligns the projector on captions (and,
/// by default, also trains our untrained decoder: see <see cref="ZooModelSpec.Stage1TrainsDecoder"/>); stage 2
/// instruction-tunes projector + decoder on the QA mix. AdamW, step-based warmup + cosine, gradient clipping at 1,
/// batches drawn from a stream seeded by (seed, stage, step) so a resumed run sees the same batches.
/// </summary>
public sealed class ZooTrainer(ZooModelSpec spec, LlavaConfig config, string runDir, Action<string> log)
{
    public const string ModelFile = "model.dat", OptimizerFile = "optim.dat", LossFile = "loss.csv";
    public int CheckpointEvery { get; init; } = 200;
    public int LogEvery { get; init; } = 10;
    /// <summary>Called after every optimiser step with (stage, steps done); tests use it to interrupt a run.</summary>
    public Action<int, int>? OnStep { get; init; }

    /// <summary>Runs (or resumes) both stages; returns the model with trained weights and the total training seconds.</summary>
    public (LlavaForConditionalGeneration Model, double Seconds) Train(Action<LlavaForConditionalGeneration> initialise, TrainSet captions, TrainSet qa, CancellationToken ct)
    {
        Directory.CreateDirectory(runDir);
        var model = new LlavaForConditionalGeneration(config);
        initialise(model);
        var state = TrainState.Read(runDir);
        if (state is not null)
        {
            model.load(Path.Combine(runDir, ModelFile));
            log($"{spec.Name}: resuming at stage {state.Stage} step {state.Step} ({state.Seconds:0} s done)");
        }
        state ??= new TrainState(1, 0, 0);
        var losses = new LossLog(Path.Combine(runDir, LossFile));
        losses.TruncateAfter(state.Stage, state.Step);
        if (state.Stage == 1)
            state = RunStage(model, 1, spec.Stage1Steps, spec.Stage1Lr, captions, state, losses, ct);
        if (state.Stage == 2)
            state = RunStage(model, 2, spec.Stage2Steps, spec.Stage2Lr, qa, state, losses, ct);
        return (model, state.Seconds);
    }

    TrainState RunStage(LlavaForConditionalGeneration model, int stage, int steps, double peakLr, TrainSet data, TrainState state, LossLog losses, CancellationToken ct)
    {
        var projector = Projector(model);
        var trainable = model.named_parameters().Where(p => IsTrainable(p.name, stage)).ToList();
        foreach (var (name, p) in model.named_parameters()) p.requires_grad = IsTrainable(name, stage);
        using var optimizer = optim.AdamW(trainable.Select(p => p.parameter), peakLr, weight_decay: 0.0);
        string optimPath = Path.Combine(runDir, OptimizerFile);
        if (state.Step > 0 && File.Exists(optimPath)) optimizer.load_state_dict(optimPath);
        model.train();
        var watch = Stopwatch.StartNew();
        double seconds0 = state.Seconds, lossSum = 0;
        int lossCount = 0;
        long imageToken = config.ImageTokenIndex, pad = config.TextConfig.PadTokenId ?? 0;
        for (int step = state.Step; step < steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var rng = new ZooRng(spec.Seed, stage * 10_000_000L + step);
            var batch = Enumerable.Range(0, spec.BatchSize).Select(_ => data.Samples[rng.Next(data.Samples.Count)]).ToList();
            double lr = LrSchedule.At(step, steps, peakLr);
            using (var scope = NewDisposeScope())
            {
                var (logits, targets) = LlavaBatch.Forward(model, projector, batch, data.Features, imageToken, pad);
                var loss = nn.functional.cross_entropy(logits, targets);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(trainable.Select(p => p.parameter), 1.0);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                optimizer.step();
                lossSum += loss.item<float>();
                lossCount++;
            }
            if ((step + 1) % LogEvery == 0 || step + 1 == steps)
            {
                losses.Append(stage, step, lr, lossSum / lossCount, seconds0 + watch.Elapsed.TotalSeconds);
                if ((step + 1) % (LogEvery * 20) == 0 || step + 1 == steps)
                    log($"{spec.Name} stage {stage} step {step + 1}/{steps} loss {lossSum / lossCount:0.0000} lr {lr:0.00000} {seconds0 + watch.Elapsed.TotalSeconds:0} s");
                lossSum = 0; lossCount = 0;
            }
            if ((step + 1) % CheckpointEvery == 0 && step + 1 < steps)
                Save(model, optimizer, new TrainState(stage, step + 1, seconds0 + watch.Elapsed.TotalSeconds));
            OnStep?.Invoke(stage, step + 1);
        }
        var next = new TrainState(stage + 1, 0, seconds0 + watch.Elapsed.TotalSeconds);
        Save(model, optimizer: null, next);
        model.eval();
        return next;
    }

    void Save(LlavaForConditionalGeneration model, TorchSharp.Modules.AdamW? optimizer, TrainState state)
    {
        string modelPath = Path.Combine(runDir, ModelFile), optimPath = Path.Combine(runDir, OptimizerFile);
        model.save(modelPath + ".tmp");
        File.Move(modelPath + ".tmp", modelPath, overwrite: true);
        if (optimizer is not null)
        {
            optimizer.save_state_dict(optimPath + ".tmp");
            File.Move(optimPath + ".tmp", optimPath, overwrite: true);
        }
        else if (File.Exists(optimPath)) File.Delete(optimPath);
        state.Write(runDir);
    }

    bool IsTrainable(string name, int stage) =>
        !name.StartsWith("model.vision_tower.", StringComparison.Ordinal)
        && (stage == 2 || spec.Stage1TrainsDecoder || name.StartsWith("model.multi_modal_projector.", StringComparison.Ordinal));

    /// <summary>The model's projector module (private field of LlavaModel, reached through the module tree).</summary>
    public static nn.Module<Tensor, Tensor> Projector(LlavaForConditionalGeneration model) =>
        (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "model.multi_modal_projector").module;
}
