namespace Vhw.Zoo.Data;

/// <summary>
/// The object statistics of the synthetic world, so that POPE's negative-sampling splits mean something:
/// combos have Zipf-like popularity (fixed order) and belong to one of four themes; a scene picks a theme and draws
/// each object from it with probability <see cref="ThemeBias"/>, else by popularity. Hence "popular" negatives
/// (frequent combos) and "adversarial" negatives (combos that co-occur with what is present) are well defined.
/// </summary>
public sealed class ScenePrior
{
    public const double ThemeBias = 0.6;
    public const int Themes = 4;
    readonly double[] _popularity;
    readonly int[] _theme;

    public ScenePrior()
    {
        // Fixed, documented order: popularity rank r has weight 1/(r+1)^0.8; themes deal the ranks round-robin.
        var order = new ZooRng(0x5EED).Let(r => { var l = Enumerable.Range(0, World.ComboCount).ToList(); r.Shuffle(l); return l; });
        _popularity = new double[World.ComboCount];
        _theme = new int[World.ComboCount];
        for (int rank = 0; rank < order.Count; rank++)
        {
            _popularity[order[rank]] = 1.0 / Math.Pow(rank + 1, 0.8);
            _theme[order[rank]] = rank % Themes;
        }
    }

    public double Popularity(Combo c) => _popularity[World.IndexOf(c)];
    public int Theme(Combo c) => _theme[World.IndexOf(c)];

    /// <summary>Combos by decreasing popularity.</summary>
    public IReadOnlyList<Combo> ByPopularity => World.AllCombos().OrderByDescending(Popularity).ThenBy(World.IndexOf).ToList();

    /// <summary>One object kind for a scene of theme <paramref name="theme"/>.</summary>
    public Combo Draw(ZooRng rng, int theme)
    {
        var pool = rng.Chance(ThemeBias) ? World.AllCombos().Where(c => Theme(c) == theme).ToList() : World.AllCombos().ToList();
        return pool[rng.PickWeighted(pool.Select(Popularity).ToList())];
    }

    /// <summary>A random scene: 1–<see cref="World.MaxObjects"/> objects of one theme, with degradations drawn by <paramref name="degradation"/>.</summary>
    public Scene RandomScene(ZooRng rng, Degradation degradation, int minObjects = 1, int maxObjects = World.MaxObjects)
    {
        int theme = rng.Next(Themes);
        int n = minObjects + rng.Next(maxObjects - minObjects + 1);
        var kinds = Enumerable.Range(0, n).Select(_ => Draw(rng, theme)).ToList();
        return Scene.Place(rng, kinds, degradation);
    }

    /// <summary>Degradations of an ordinary (non-qbench) image: mostly clean.</summary>
    public static Degradation MildDegradation(ZooRng rng) => new(rng.Chance(0.1), rng.Chance(0.1),
        rng.Next(10) switch { 0 => Lighting.Dark, 1 => Lighting.Bright, _ => Lighting.Normal });

    /// <summary>A POPE negative: a combo absent from the scene, by split (random / popular / adversarial).</summary>
    public Combo Negative(ZooRng rng, Scene scene, string split)
    {
        var absent = World.AllCombos().Where(c => !scene.Contains(c)).ToList();
        switch (split)
        {
            case "random":
                return rng.Pick(absent);
            case "popular":
                return rng.Pick(absent.OrderByDescending(Popularity).ThenBy(World.IndexOf).Take(3).ToList());
            case "adversarial":
                var themes = scene.Objects.Select(o => Theme(o.Kind)).ToHashSet();
                var mates = absent.Where(c => themes.Contains(Theme(c))).OrderByDescending(Popularity).ThenBy(World.IndexOf).Take(3).ToList();
                return rng.Pick(mates.Count > 0 ? mates : absent);
            default:
                throw new ArgumentException($"unknown POPE split '{split}' (random, popular, adversarial)");
        }
    }
}

static class Functional
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}
