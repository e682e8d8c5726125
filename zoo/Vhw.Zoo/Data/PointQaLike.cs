namespace Vhw.Zoo.Data;

/// <summary>
/// pointqa-like: a 2×2-cell box given in the prompt (normalised, LLaVA-1.5 style) and stored with the sample (pixels).
/// Slot i % 3 picks the question type: general ("What is in the box …?" → "{colour} {shape}", exactly one object
/// inside), object ("How many {shape}s are in the box …?") and super ("How many shapes are in the box …?"). Counts are
/// uniform (object 0–3, super 1–4); objects outside the box (also of the asked shape) make the box necessary.
/// </summary>
public static class PointQaLike
{
    public const string Name = "pointqa-like";
    public static readonly string[] Types = ["general", "object", "super"];

    public static QaItem Generate(ZooRng rng, ScenePrior prior, int slot)
    {
        string type = Types[slot % 3];
        int r0 = rng.Next(World.Grid - 1), c0 = rng.Next(World.Grid - 1);
        var inside = new[] { r0 * World.Grid + c0, r0 * World.Grid + c0 + 1, (r0 + 1) * World.Grid + c0, (r0 + 1) * World.Grid + c0 + 1 };
        float[] box = [c0 * World.PatchSize, r0 * World.PatchSize, (c0 + 2) * World.PatchSize, (r0 + 2) * World.PatchSize];
        int theme = rng.Next(ScenePrior.Themes);
        var d = ScenePrior.MildDegradation(rng);
        var cells = inside.ToList();
        rng.Shuffle(cells);
        var objects = new List<SceneObject>();
        string question, answer;
        switch (type)
        {
            case "general":
            {
                var kind = prior.Draw(rng, theme);
                objects.Add(new SceneObject(cells[0], kind));
                (question, answer) = ($"What is in the box {QaFormat.BoxText(box)}?", kind.ToString());
                break;
            }
            case "object":
            {
                string shape = rng.Pick(World.Shapes);
                int n = rng.Next(4), others = rng.Next(4 - n + 1);
                for (int k = 0; k < n; k++) objects.Add(new SceneObject(cells[k], new Combo(shape, rng.Pick(World.Colours))));
                for (int k = n; k < n + others && k < 4; k++)
                    objects.Add(new SceneObject(cells[k], Draw(rng, prior, theme, c => c.Shape != shape)));
                (question, answer) = ($"How many {World.Plural(shape)} are in the box {QaFormat.BoxText(box)}?", QaFormat.CountText(n));
                break;
            }
            default:
            {
                int n = 1 + rng.Next(4);
                for (int k = 0; k < n; k++) objects.Add(new SceneObject(cells[k], prior.Draw(rng, theme)));
                (question, answer) = ($"How many shapes are in the box {QaFormat.BoxText(box)}?", QaFormat.CountText(n));
                break;
            }
        }
        int outside = rng.Next(3);
        var outsideKinds = Enumerable.Range(0, outside).Select(_ => prior.Draw(rng, theme)).ToList();
        var scene = Scene.Place(rng, outsideKinds, d, inside).With(objects);
        return new QaItem(Name, type, scene, QaFormat.Short(question), answer, box);
    }

    static Combo Draw(ZooRng rng, ScenePrior prior, int theme, Func<Combo, bool> allowed)
    {
        while (true)
            if (prior.Draw(rng, theme) is var c && allowed(c)) return c;
    }
}
