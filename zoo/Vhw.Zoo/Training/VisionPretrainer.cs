using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Processing;
using Vhw.Zoo.Data;
using static TorchSharp.torch;

namespace Vhw.Zoo.Training;

/// <summary>
/// Trains the shared vision tower first (LLaVA uses a pretrained CLIP; we have none): a CLIP-architecture tower whose
/// LLaVA feature layer (hidden_states[vision_feature_layer], CLS dropped) must predict, per patch, the colour and
/// shape in that grid cell (or none) and, pooled, blur / noise / lighting. Scenes are drawn fresh per step from a
/// seeded stream, rendered and preprocessed exactly like benchmark images. Returns held-out accuracies.
/// </summary>
public sealed class VisionPretrainer(VisionSpec spec, LlavaConfig config, ClipImageProcessor processor)
{
    public sealed record Result(double CellAccuracy, double DegradationAccuracy, double Seconds);

    public Result Train(ClipVisionModel tower, Action<string> log, CancellationToken ct)
    {
        int c = spec.Hidden, layer = config.VisionHiddenStateIndex;
        using var cellHead = nn.Linear(c, 2 * (World.Colours.Length + 1));
        using var globalHead = nn.Linear(c, 7);
        var parameters = tower.parameters().Concat(cellHead.parameters()).Concat(globalHead.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, spec.Lr, weight_decay: 0.0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var prior = new ScenePrior();
        tower.train();
        for (int step = 0; step < spec.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (pixels, cells, globals) = Batch(new ZooRng(spec.Seed, step), prior, spec.BatchSize);
            var loss = Loss(tower, cellHead, globalHead, layer, pixels, cells, globals, out _, out _);
            optimizer.zero_grad();
            loss.backward();
            double lr = LrSchedule.At(step, spec.Steps, spec.Lr);
            foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
            optimizer.step();
            if (step % 100 == 0 || step == spec.Steps - 1) log($"vision step {step}/{spec.Steps} loss {loss.item<float>():0.000}");
        }
        tower.eval();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var (pixels, cells, globals) = Batch(new ZooRng(spec.Seed, 1_000_000), prior, 512);
            Loss(tower, cellHead, globalHead, layer, pixels, cells, globals, out var cellAcc, out var globalAcc);
            return new Result(cellAcc, globalAcc, watch.Elapsed.TotalSeconds);
        }
    }

    static Tensor Loss(ClipVisionModel tower, Linear cellHead, Linear globalHead, int layer, Tensor pixels, Tensor cells, Tensor globals,
        out double cellAcc, out double globalAcc)
    {
        int k = World.Colours.Length + 1;
        var h = tower.forward(pixels, layer);                                        // (B, 1 + P, C)
        var patches = h.narrow(1, 1, h.shape[1] - 1);                                 // (B, P, C)
        var cellLogits = cellHead.forward(patches).view(-1, 2, k);                   // (B·P, 2, k): colour, shape
        var g = globalHead.forward(patches.mean([1]));                                // (B, 7): blur 2, noise 2, light 3
        var colour = cellLogits.select(1, 0); var shape = cellLogits.select(1, 1);
        var tc = cells.select(2, 0).reshape(-1); var ts = cells.select(2, 1).reshape(-1);
        var blur = g.narrow(1, 0, 2); var noise = g.narrow(1, 2, 2); var light = g.narrow(1, 4, 3);
        var loss = nn.functional.cross_entropy(colour, tc) + nn.functional.cross_entropy(shape, ts)
                 + nn.functional.cross_entropy(blur, globals.select(1, 0)) + nn.functional.cross_entropy(noise, globals.select(1, 1))
                 + nn.functional.cross_entropy(light, globals.select(1, 2));
        cellAcc = (colour.argmax(1).eq(tc) & shape.argmax(1).eq(ts)).to(ScalarType.Float32).mean().item<float>();
        globalAcc = cat([blur.argmax(1).eq(globals.select(1, 0)), noise.argmax(1).eq(globals.select(1, 1)), light.argmax(1).eq(globals.select(1, 2))])
            .to(ScalarType.Float32).mean().item<float>();
        return loss;
    }

    /// <summary>One pretraining scene: 1–6 objects from the prior, blur and noise each with chance 0.3, dark or bright lighting with chance 0.5.</summary>
    public static Scene DrawScene(ZooRng rng, ScenePrior prior)
    {
        var d = new Degradation(rng.Chance(0.3), rng.Chance(0.3), (Lighting)(rng.Chance(0.5) ? 0 : 1 + rng.Next(2)));
        return prior.RandomScene(rng, d, minObjects: 1, maxObjects: 6);
    }

    /// <summary>Pixels (B, 3, H, W), cell labels (B, P, 2) = (colour+1, shape+1) or 0, global labels (B, 3).</summary>
    (Tensor, Tensor, Tensor) Batch(ZooRng rng, ScenePrior prior, int n)
    {
        int p = World.Grid * World.Grid, size = World.ImageSize;
        var pixels = new float[n * 3 * size * size];
        var cells = new long[n * p * 2];
        var globals = new long[n * 3];
        for (int i = 0; i < n; i++)
        {
            var scene = DrawScene(rng, prior);
            using (var img = SceneRenderer.Render(scene)) processor.Preprocess(img).CopyTo(pixels, i * 3 * size * size);
            foreach (var o in scene.Objects)
            {
                cells[(i * p + o.Cell) * 2] = Array.IndexOf(World.Colours, o.Kind.Colour) + 1;
                cells[(i * p + o.Cell) * 2 + 1] = Array.IndexOf(World.Shapes, o.Kind.Shape) + 1;
            }
            var d = scene.Degradation;
            globals[i * 3] = d.Blur ? 1 : 0; globals[i * 3 + 1] = d.Noise ? 1 : 0; globals[i * 3 + 2] = (int)d.Light;
        }
        return (tensor(pixels, [n, 3, size, size]), tensor(cells, [n, p, 2]), tensor(globals, [n, 3]));
    }
}
