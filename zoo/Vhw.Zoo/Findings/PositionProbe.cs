using TorchSharp;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Processing;
using Vhw.Zoo.Data;
using Vhw.Zoo.Training;
using static TorchSharp.torch;

namespace Vhw.Zoo.Findings;

/// <summary>
/// Linear probes on the image features a member's decoder receives (the member's vision tower's LLaVA feature layer
/// through the member's own projector): can a patch's grid cell, its quadrant and its content be read from them?
/// mmbench-like "spatial" and seed-like "relation" ask where a named object is; when a member answers them at chance,
/// this tells whether its inputs lack the positions or its decoder lacks the skill. Scenes are drawn fresh from a
/// fixed seed as the tower's pretraining draws them (<see cref="VisionPretrainer.DrawScene"/>); each probe is ridge least squares onto one-hot targets, fitted
/// on the first half of the scenes and scored on the second half (cells holding an object only).
/// </summary>
public static class PositionProbe
{
    /// <summary>Held-out accuracy of each probe over object cells: grid cell (16-way) and quadrant (4-way) from the tower's
    /// features (what the projector receives) and from the projected ones (what the decoder receives), content (16-way) from the latter.</summary>
    public sealed record Result(double TowerCell, double TowerQuadrant, double Cell, double Quadrant, double Content, int ObjectCells);

    public const int DefaultScenes = 1000;
    const long Seed = 20_251_202;
    const double Ridge = 1e-3;

    public static Result Measure(LlavaForConditionalGeneration model, ClipImageProcessor processor, int scenes = DefaultScenes)
    {
        if (scenes < 2) throw new ArgumentOutOfRangeException(nameof(scenes), "the probe needs at least two scenes (fit and held-out halves)");
        int p = World.Grid * World.Grid, size = World.ImageSize;
        var prior = new ScenePrior();
        var rng = new ZooRng(Seed, 0);
        var pixels = new float[scenes * 3 * size * size];
        var cells = new List<(int Row, int Cell, int Content)>();               // Row = scene · P + cell
        for (int i = 0; i < scenes; i++)
        {
            var scene = VisionPretrainer.DrawScene(rng, prior);
            using (var img = SceneRenderer.Render(scene)) processor.Preprocess(img).CopyTo(pixels, i * 3 * size * size);
            foreach (var o in scene.Objects)
                cells.Add((i * p + o.Cell, o.Cell, Array.IndexOf(World.Colours, o.Kind.Colour) * World.Shapes.Length + Array.IndexOf(World.Shapes, o.Kind.Shape)));
        }
        using var scope = NewDisposeScope();
        Tensor tower, projected;
        using (no_grad())
        {
            var rows = tensor(cells.Select(c => (long)c.Row).ToArray(), device: model.Device);
            Tensor ObjectRows(Tensor t) => t.reshape(scenes * p, -1).index_select(0, rows).to(ScalarType.Float64).cpu();
            var vision = model.Model.GetVisionFeatures(tensor(pixels, [scenes, 3, size, size]).to(model.Dtype).to(model.Device));
            tower = ObjectRows(vision);
            projected = ObjectRows(model.Model.Project(vision));
        }
        var fit = cells.Select(c => c.Row < scenes / 2 * p).ToArray();
        int[] cell = cells.Select(c => c.Cell).ToArray(), quadrant = cells.Select(c => World.QuadrantIndex(c.Cell)).ToArray();
        return new Result(
            Accuracy(tower, cell, p, fit), Accuracy(tower, quadrant, World.Quadrants.Length, fit),
            Accuracy(projected, cell, p, fit), Accuracy(projected, quadrant, World.Quadrants.Length, fit),
            Accuracy(projected, cells.Select(c => c.Content).ToArray(), World.Colours.Length * World.Shapes.Length, fit),
            cells.Count);
    }

    /// <summary>
    /// Ridge least squares from <paramref name="x"/> (rows, features) plus a bias onto one-hot <paramref name="labels"/>,
    /// fitted on the rows where <paramref name="fit"/> is true; the share of the other rows whose arg-max is their label.
    /// </summary>
    public static double Accuracy(Tensor x, int[] labels, int classes, bool[] fit)
    {
        if (labels.Length != x.shape[0] || fit.Length != labels.Length) throw new ArgumentException("one label and one fit flag per row");
        using var scope = NewDisposeScope();
        var a = cat([x.to(ScalarType.Float64), ones(x.shape[0], 1, dtype: ScalarType.Float64)], 1);
        long[] Rows(bool inFit) => Enumerable.Range(0, fit.Length).Where(i => fit[i] == inFit).Select(i => (long)i).ToArray();
        long[] fitRows = Rows(true), testRows = Rows(false);
        if (fitRows.Length == 0 || testRows.Length == 0) throw new ArgumentException("both the fit and the held-out rows must be non-empty");
        var y = tensor(labels.Select(l => (long)l).ToArray());
        var af = a.index_select(0, tensor(fitRows));
        var target = nn.functional.one_hot(y.index_select(0, tensor(fitRows)), classes).to(ScalarType.Float64);
        var w = linalg.solve(af.t().matmul(af) + eye(a.shape[1], dtype: ScalarType.Float64) * Ridge, af.t().matmul(target));
        var predicted = a.index_select(0, tensor(testRows)).matmul(w).argmax(1);
        return predicted.eq(y.index_select(0, tensor(testRows))).to(ScalarType.Float64).mean().item<double>();
    }
}
