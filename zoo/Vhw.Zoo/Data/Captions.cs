namespace Vhw.Zoo.Data;

/// <summary>
/// Stage-1 alignment data (LLaVA's caption pretraining): a brief-description instruction and a caption listing the
/// objects in reading order with their quadrant, e.g. "a red circle at top left, a blue square at bottom right."
/// </summary>
public static class Captions
{
    public const string Name = "captions";
    public static readonly string[] Instructions =
        ["Describe the image briefly.", "Give a brief description of the image.", "What objects are in the image?"];

    public static QaItem Generate(ZooRng rng, ScenePrior prior, int slot)
    {
        var scene = prior.RandomScene(rng, ScenePrior.MildDegradation(rng));
        return new QaItem(Name, "caption", scene, Instructions[slot % Instructions.Length], Caption(scene));
    }

    public static string Caption(Scene scene) =>
        string.Join(", ", scene.Objects.Select(o => $"a {o.Kind} at {World.Quadrant(o.Cell)}")) + ".";
}
