namespace Vhw.Zoo.Data;

/// <summary>
/// mmbench-like and seed-like multiple choice (A–D). Slot i fixes the question type (i % 3) and the correct letter
/// ((i / 3) % 4), so letters are balanced per type; option contents never reveal the answer without the image.
/// </summary>
public static class ChoiceTasks
{
    public const string MmBench = "mmbench-like";
    public const string Seed = "seed-like";
    static readonly string[] Counts = ["0", "1", "2", "3", "4"];
    static readonly string[] Relations = ["left", "right", "above", "below"];

    public static QaItem MmBenchLike(ZooRng rng, ScenePrior prior, int slot)
    {
        int letter = slot / 3 % 4;
        var d = ScenePrior.MildDegradation(rng);
        switch (slot % 3)
        {
            case 0: // attribute: the one object of a shape, its colour
            {
                string shape = rng.Pick(World.Shapes);
                var target = new Combo(shape, rng.Pick(World.Colours));
                var scene = Scene.Place(rng, [target, .. Fillers(rng, prior, c => c.Shape != shape)], d);
                var (q, a) = QaFormat.Choice($"What colour is the {shape}?", target.Colour, QaFormat.Others(rng, World.Colours, target.Colour, 3), letter);
                return new QaItem(MmBench, "attribute", scene, q, a);
            }
            case 1: // count of a shape
            {
                string shape = rng.Pick(World.Shapes);
                var (scene, n) = CountScene(rng, prior, d, c => c.Shape == shape, () => new Combo(shape, rng.Pick(World.Colours)));
                var (q, a) = QaFormat.Choice($"How many {World.Plural(shape)} are in the image?", QaFormat.CountText(n), QaFormat.Others(rng, Counts, QaFormat.CountText(n), 3), letter);
                return new QaItem(MmBench, "count", scene, q, a);
            }
            default: // spatial: quadrant of the one object of a combo
            {
                var target = World.ComboAt(rng.Next(World.ComboCount));
                var scene = Scene.Place(rng, [target, .. Fillers(rng, prior, c => c != target)], d);
                string where = World.Quadrant(scene.Objects.First(o => o.Kind == target).Cell);
                var (q, a) = QaFormat.Choice($"Where is the {target}?", where, QaFormat.Others(rng, World.Quadrants, where, 3), letter);
                return new QaItem(MmBench, "spatial", scene, q, a);
            }
        }
    }

    public static QaItem SeedLike(ZooRng rng, ScenePrior prior, int slot)
    {
        int letter = slot / 3 % 4;
        var d = ScenePrior.MildDegradation(rng);
        switch (slot % 3)
        {
            case 0: // instance identity: which object is present
            {
                var scene = prior.RandomScene(rng, d);
                var present = rng.Pick(scene.Objects).Kind.ToString();
                var absent = World.AllCombos().Where(c => !scene.Contains(c)).Select(c => c.ToString());
                var (q, a) = QaFormat.Choice("Which object appears in the image?", present, QaFormat.Others(rng, absent, present, 3), letter);
                return new QaItem(Seed, "identity", scene, q, a);
            }
            case 1: // count of a colour
            {
                string colour = rng.Pick(World.Colours);
                var (scene, n) = CountScene(rng, prior, d, c => c.Colour == colour, () => new Combo(rng.Pick(World.Shapes), colour));
                var (q, a) = QaFormat.Choice($"How many {colour} objects are there?", QaFormat.CountText(n), QaFormat.Others(rng, Counts, QaFormat.CountText(n), 3), letter);
                return new QaItem(Seed, "count", scene, q, a);
            }
            default: // spatial relation between two objects on one row or one column
            {
                var (scene, first, second, relation) = RelationScene(rng, prior, d);
                var (q, a) = QaFormat.Choice($"Where is the {first} relative to the {second}?", relation, QaFormat.Others(rng, Relations, relation, 3), letter);
                return new QaItem(Seed, "relation", scene, q, a);
            }
        }
    }

    /// <summary>0–2 more objects drawn by the prior among kinds allowed by <paramref name="allowed"/>.</summary>
    static List<Combo> Fillers(ZooRng rng, ScenePrior prior, Func<Combo, bool> allowed, int max = 2)
    {
        int n = rng.Next(max + 1), theme = rng.Next(ScenePrior.Themes);
        var list = new List<Combo>();
        while (list.Count < n)
            if (prior.Draw(rng, theme) is var c && allowed(c)) list.Add(c);
        return list;
    }

    /// <summary>A scene with n ~ U{0..4} objects matching <paramref name="match"/> plus fillers (at least one object in all).</summary>
    static (Scene, int) CountScene(ZooRng rng, ScenePrior prior, Degradation d, Func<Combo, bool> match, Func<Combo> make)
    {
        int n = rng.Next(5);
        var kinds = Enumerable.Range(0, n).Select(_ => make()).ToList();
        kinds.AddRange(Fillers(rng, prior, c => !match(c), n == 0 ? 3 : Math.Min(2, 5 - n)));
        if (kinds.Count == 0) kinds.Add(Fillers(rng, prior, c => !match(c), 1).FirstOrDefault() ?? World.AllCombos().First(c => !match(c)));
        return (Scene.Place(rng, kinds, d), n);
    }

    static (Scene, Combo, Combo, string) RelationScene(ZooRng rng, ScenePrior prior, Degradation d)
    {
        string relation = rng.Pick(Relations);
        var first = World.ComboAt(rng.Next(World.ComboCount));
        var second = World.AllCombos().Where(c => c != first).ToList().Let(l => rng.Pick(l));
        int line = rng.Next(World.Grid), a = rng.Next(World.Grid), b = (a + 1 + rng.Next(World.Grid - 1)) % World.Grid;
        (int lo, int hi) = (Math.Min(a, b), Math.Max(a, b));
        bool firstLow = relation is "left" or "above";
        int Cell(int along) => relation is "left" or "right" ? line * World.Grid + along : along * World.Grid + line;
        var objects = new List<SceneObject> { new(Cell(firstLow ? lo : hi), first), new(Cell(firstLow ? hi : lo), second) };
        var fillers = Fillers(rng, prior, c => c != first && c != second);
        var scene = Scene.Place(rng, fillers, d, objects.Select(o => o.Cell).ToList()).With(objects);
        return (scene, first, second, relation);
    }
}
