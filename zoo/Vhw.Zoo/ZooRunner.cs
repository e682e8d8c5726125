using System.Text.Json;
using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Default;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;
using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;
using Vhw.Zoo.Training;
using static TorchSharp.torch;

namespace Vhw.Zoo;

/// <summary>
/// Per-model record written next to the exported model (training.json; ingest stores it verbatim in models.training_json).
/// Stage1Lr/Stage2Lr: the peak learning rates (null in a record written before they were recorded).
/// Stage1TrainsDecoder: false when stage 1 trained the projector only (null in a record written before it was recorded:
/// those all trained the decoder too).
/// </summary>
public sealed record TrainingReport(string Name, string Family, string Scale, int Layers, int Hidden, int Heads, int KvHeads,
    long Parameters, int Stage1Steps, int Stage2Steps, int BatchSize, double TrainSeconds, double ValExactMatch,
    double? Stage1Lr = null, double? Stage2Lr = null, bool? Stage1TrainsDecoder = null)
{
    /// <summary>Whether this model was trained with <paramref name="spec"/>'s recipe: sizes, steps, batch, peak learning rates, what stage 1 trains.</summary>
    public bool HasRecipeOf(ZooModelSpec spec) =>
        (Layers, Hidden, Heads, KvHeads, Stage1Steps, Stage2Steps, BatchSize, Stage1Lr, Stage2Lr, Stage1TrainsDecoder ?? true)
        == (spec.Layers, spec.Hidden, spec.Heads, spec.KvHeads, spec.Stage1Steps, spec.Stage2Steps, spec.BatchSize, spec.Stage1Lr, spec.Stage2Lr,
            spec.Stage1TrainsDecoder);
}

/// <summary>Per-model evaluation (eval.json): every test benchmark with the real and the white image.</summary>
public sealed record EvaluationReport(string Name, IReadOnlyList<BenchmarkScore> Benchmarks, HeadLiftStats? Lift = null, HeadLiftStats? ControlLift = null);

/// <summary>
/// `vhw zoo`: data → shared tokenizer/processor → shared vision tower → per model (train or resume, export fp16 HF folder,
/// evaluate) → zoo.md. Every step is skipped when its output exists, so rerunning resumes. One thread (torch.set_num_threads(1)).
/// <see cref="ZooOptions.DataOnly"/> stops after data and shared assets, <see cref="ZooOptions.TestDataOnly"/> writes only data/test/.
/// </summary>
public sealed class ZooRunner(ZooOptions options, Action<string> log)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    const int LiftSamples = 100;
    string Dir(params string[] parts) => Path.Combine([options.Root, .. parts]);

    public IReadOnlyList<(TrainingReport Training, EvaluationReport? Evaluation)> Run(CancellationToken ct)
    {
        if (options.TestDataOnly)
        {
            var test = ZooDataset.WriteTest(Dir("data"), options.Data);
            log($"test data: {Path.GetDirectoryName(test.TestManifest)}");
            return [];
        }
        var data = ZooDataset.Write(Dir("data"), options.Data);
        log($"data: {data.Root}");
        SharedAssets.Write(Dir("shared"), [data.Train, data.Captions, data.Val, .. ZooDataset.Benchmarks.Select(b => data.Test(b.Name))]);
        if (options.DataOnly) { log($"shared assets: {Dir("shared")}"); return []; }
        torch.set_num_threads(1);
        var tokenizer = LlavaTokenizer.Load(Dir("shared"));
        var processor = ClipImageProcessor.Load(Dir("shared"));
        var baseline = Baseline(data);
        var results = new List<(TrainingReport, EvaluationReport?)>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var tower = VisionTower(tokenizer, processor, ct);
        foreach (var spec in options.Selected())
        {
            double? left = options.TimeBudgetSeconds - watch.Elapsed.TotalSeconds;
            if (left <= 0) { log($"{spec.Name}: time budget spent; rerun to continue"); break; }
            var training = TrainOne(spec, tokenizer, processor, tower, data, left, ct);
            if (training is null) break;
            if (!File.Exists(Dir("models", spec.Name + "-init", "config.json"))) ExportControl(spec, spec.ToConfig(tokenizer, options.Vision), tower);
            results.Add((training, EvaluateOne(spec, data)));
            Fixture(spec);
        }
        File.WriteAllText(Dir("zoo.md"), ZooSummary.Markdown(Finished(), baseline));
        log($"summary: {Dir("zoo.md")}");
        return results;
    }

    /// <summary>Every member with training.json and eval.json under models/, in zoo order (also those of earlier runs).</summary>
    List<(TrainingReport, EvaluationReport?)> Finished() =>
        ZooModelSpec.All.Select(s => (Training: Dir("models", s.Name, Vhw.Ingest.Storage.Rows.ModelRow.TrainingFileName), Eval: Dir("models", s.Name, "eval.json")))
            .Where(f => File.Exists(f.Training) && File.Exists(f.Eval))
            .Select(f => (JsonSerializer.Deserialize<TrainingReport>(File.ReadAllText(f.Training))!,
                          JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(f.Eval))))
            .ToList();

    ClipVisionModel VisionTower(LlavaTokenizer tokenizer, ClipImageProcessor processor, CancellationToken ct)
    {
        var config = ZooModelSpec.All[0].ToConfig(tokenizer, options.Vision);
        torch.manual_seed(options.Vision.Seed);
        var tower = new ClipVisionModel(config.VisionConfig, ScalarType.Float32, CPU);
        string file = Dir("vision", "encoder.dat");
        if (File.Exists(file)) { tower.load(file); tower.eval(); return tower; }
        Directory.CreateDirectory(Dir("vision"));
        var result = new VisionPretrainer(options.Vision, config, processor).Train(tower, log, ct);
        log($"vision tower: cell accuracy {result.CellAccuracy:P1}, degradation accuracy {result.DegradationAccuracy:P1}, {result.Seconds:0} s");
        File.WriteAllText(Dir("vision", "vision.json"), JsonSerializer.Serialize(new { options.Vision, result }, Json));
        tower.save(file + ".tmp");
        File.Move(file + ".tmp", file, overwrite: true);
        foreach (var stale in Directory.GetFiles(Dir("vision"), "features-*.bin")) File.Delete(stale);
        return tower;
    }

    TrainingReport? TrainOne(ZooModelSpec spec, LlavaTokenizer tokenizer, ClipImageProcessor processor, ClipVisionModel tower,
        ZooDataset.Paths data, double? budget, CancellationToken ct)
    {
        string modelDir = Dir("models", spec.Name), reportFile = Path.Combine(modelDir, Vhw.Ingest.Storage.Rows.ModelRow.TrainingFileName);
        string runDir = Dir("runs", spec.Name), recipeFile = Path.Combine(runDir, "recipe.txt");
        if (File.Exists(reportFile))
        {
            var done = JsonSerializer.Deserialize<TrainingReport>(File.ReadAllText(reportFile))!;
            if (done.HasRecipeOf(spec))
            {
                log($"{spec.Name}: already trained ({modelDir}); delete that folder and runs/{spec.Name} to retrain");
                return done;
            }
            log($"{spec.Name}: {modelDir} was trained with another recipe; retraining");
            Directory.Delete(modelDir, recursive: true);
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
        string recipe = $"{spec.Layers}x{spec.Hidden}x{spec.Heads}/{spec.KvHeads} ff{spec.Intermediate} stage1 {spec.Stage1Steps}@{spec.Stage1Lr} " +
                        $"stage2 {spec.Stage2Steps}@{spec.Stage2Lr} batch {spec.BatchSize} seed {spec.Seed}" +
                        (spec.Stage1TrainsDecoder ? "" : " stage1-projector-only");
        if (File.Exists(recipeFile) && File.ReadAllText(recipeFile) != recipe)
        {
            log($"{spec.Name}: checkpoint in {runDir} belongs to another recipe; starting over");
            Directory.Delete(runDir, recursive: true);
        }
        Directory.CreateDirectory(runDir);
        File.WriteAllText(recipeFile, recipe);
        var config = spec.ToConfig(tokenizer, options.Vision);
        var template = ConversationTemplate.ForModel(config);
        Tensor Features(string folder) => TrainSet.ComputeFeatures(folder, processor, tower, config.VisionHiddenStateIndex,
            Dir("vision", $"features-{Path.GetFileName(folder)}.bin"));
        using var captions = TrainSet.Load(data.Captions, tokenizer, template, Features);
        using var qa = TrainSet.Load(data.Train, tokenizer, template, Features);
        using var val = TrainSet.Load(data.Val, tokenizer, template, Features);
        using var budgetCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (budget is { } b) budgetCts.CancelAfter(TimeSpan.FromSeconds(b));
        var trainer = new ZooTrainer(spec, config, runDir, log);
        Vhw.Modeling.Llava.LlavaForConditionalGeneration model;
        double seconds;
        try { (model, seconds) = trainer.Train(m => ZooInit.Initialise(m, spec.Seed, tower), captions, qa, budgetCts.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { log($"{spec.Name}: time budget spent; checkpoint kept, rerun resumes"); return null; }
        using (model)
        {
            double valExact = LlavaBatch.ExactMatch(model, ZooTrainer.Projector(model), val.Samples, val.Features,
                config.ImageTokenIndex, config.TextConfig.PadTokenId ?? 0);
            ZooInit.ExportFp16(modelDir, config, model);
            SharedAssets.CopyTo(Dir("shared"), modelDir);
            File.Copy(Path.Combine(Dir("runs", spec.Name), ZooTrainer.LossFile), Path.Combine(modelDir, ZooTrainer.LossFile), overwrite: true);
            long parameters = model.parameters().Sum(p => p.numel());
            var report = new TrainingReport(spec.Name, spec.Family, spec.Scale, spec.Layers, spec.Hidden, spec.Heads, spec.KvHeads,
                parameters, spec.Stage1Steps, spec.Stage2Steps, spec.BatchSize, Math.Round(seconds, 1), Math.Round(valExact, 4),
                spec.Stage1Lr, spec.Stage2Lr, spec.Stage1TrainsDecoder);
            File.WriteAllText(reportFile, JsonSerializer.Serialize(report, Json));
            log($"{spec.Name}: trained in {seconds:0} s, val exact match {valExact:P1} → {modelDir}");
            return report;
        }
    }

    /// <summary>The untrained control: the same member at its seeded initialisation (shared vision tower included), as {name}-init.</summary>
    void ExportControl(ZooModelSpec spec, Vhw.Modeling.Configs.LlavaConfig config, ClipVisionModel tower)
    {
        string dir = Dir("models", spec.Name + "-init");
        using var control = new Vhw.Modeling.Llava.LlavaForConditionalGeneration(config);
        ZooInit.Initialise(control, spec.Seed, tower);
        ZooInit.ExportFp16(dir, config, control);
        SharedAssets.CopyTo(Dir("shared"), dir);
    }

    EvaluationReport EvaluateOne(ZooModelSpec spec, ZooDataset.Paths data)
    {
        string file = Dir("models", spec.Name, "eval.json");
        if (File.Exists(file)) return JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(file))!;
        using var evaluator = new ZooEvaluator(Dir("models", spec.Name));
        var scores = ZooDataset.Benchmarks.Select(b => evaluator.Score(data.Test(b.Name), options.EvalLimit)).ToList();
        foreach (var s in scores) log($"{spec.Name} {s.Benchmark}: accuracy {s.Accuracy:P1}, white image {s.BlankAccuracy:P1} (n={s.N})");
        string pope = data.Test(PopeLike.Name);
        var lift = HeadLiftStats.Measure(evaluator, pope, LiftSamples);
        HeadLiftStats control;
        using (var untrained = new ZooEvaluator(Dir("models", spec.Name + "-init"))) control = HeadLiftStats.Measure(untrained, pope, LiftSamples);
        log($"{spec.Name} head image lift on pope-like: max {lift.Max:0.00} p95 {lift.P95:0.00} median {lift.Median:0.00}, halves ρ {lift.HalvesSpearman:0.00}; " +
            $"untrained control: max {control.Max:0.00} p95 {control.P95:0.00} median {control.Median:0.00}, halves ρ {control.HalvesSpearman:0.00}");
        var report = new EvaluationReport(spec.Name, scores, lift, control);
        File.WriteAllText(file, JsonSerializer.Serialize(report, Json));
        return report;
    }

    Dictionary<string, double> Baseline(ZooDataset.Paths data)
    {
        var train = BenchmarkReader.Read(data.Train).OfType<BenchmarkSample>().ToList();
        return ZooDataset.Benchmarks.ToDictionary(b => b.Name, b => TextOnlyBaseline.Accuracy(
            train.Where(s => ZooDataset.BenchmarkOf(s.Id) == b.Name), BenchmarkReader.Read(data.Test(b.Name)).OfType<BenchmarkSample>()));
    }

    void Fixture(ZooModelSpec spec)
    {
        if (options.FixturesDir is null) return;
        foreach (string name in new[] { spec.Name, spec.Name + "-init" })
        {
            string from = Dir("models", name), to = Path.Combine(options.FixturesDir, name);
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
        }
        long total = Directory.GetFiles(options.FixturesDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        log($"fixtures: {Path.Combine(options.FixturesDir, spec.Name)} (+ -init control; all fixtures {total / 1e6:0.00} MB of the 30 MB budget)");
        if (total > 30_000_000) throw new InvalidOperationException($"zoo fixtures are {total / 1e6:0.0} MB, over the 30 MB budget");
    }
}
