namespace Vhw.Zoo.Data;

/// <summary>
/// pope-like: "Is there a {colour} {shape} in the image?" Yes/No. Slot i fixes the answer (even = Yes) and the
/// negative-sampling split ((i / 2) % 3: random, popular, adversarial), so answers are balanced within each split.
/// </summary>
public static class PopeLike
{
    public const string Name = "pope-like";
    public static readonly string[] Splits = ["random", "popular", "adversarial"];

    public static QaItem Generate(ZooRng rng, ScenePrior prior, int slot)
    {
        bool yes = slot % 2 == 0;
        string split = Splits[slot / 2 % Splits.Length];
        var scene = prior.RandomScene(rng, ScenePrior.MildDegradation(rng));
        var target = yes ? rng.Pick(scene.Objects).Kind : prior.Negative(rng, scene, split);
        return new QaItem(Name, split, scene, QaFormat.Short($"Is there a {target} in the image?"), yes ? "Yes" : "No");
    }
}
