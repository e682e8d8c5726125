namespace Vhw.Zoo.Data;

/// <summary>The synthetic world: shapes × colours on a grid of patch-sized cells (one object per cell).</summary>
public static class World
{
    public static readonly string[] Shapes = ["square", "circle", "triangle", "diamond"];
    public static readonly string[] Colours = ["red", "green", "blue", "yellow"];
    public const int ImageSize = 32;
    public const int PatchSize = 8;
    public const int Grid = ImageSize / PatchSize;
    public const int MaxObjects = 4;

    public static int ComboCount => Shapes.Length * Colours.Length;
    public static Combo ComboAt(int index) => new(Shapes[index / Colours.Length], Colours[index % Colours.Length]);
    public static IEnumerable<Combo> AllCombos() => Enumerable.Range(0, ComboCount).Select(ComboAt);
    public static int IndexOf(Combo c) => Array.IndexOf(Shapes, c.Shape) * Colours.Length + Array.IndexOf(Colours, c.Colour);

    public static string Plural(string shape) => shape + "s";

    /// <summary>Quadrant name of a cell ("top left" …).</summary>
    public static string Quadrant(int cell) =>
        $"{(cell / Grid < Grid / 2 ? "top" : "bottom")} {(cell % Grid < Grid / 2 ? "left" : "right")}";

    public static readonly string[] Quadrants = ["top left", "top right", "bottom left", "bottom right"];

    /// <summary>Index into <see cref="Quadrants"/> of a cell.</summary>
    public static int QuadrantIndex(int cell) => Array.IndexOf(Quadrants, Quadrant(cell));
}

/// <summary>A (shape, colour) object kind.</summary>
public sealed record Combo(string Shape, string Colour)
{
    public override string ToString() => $"{Colour} {Shape}";
}

/// <summary>One object in grid cell <paramref name="Cell"/> (row-major).</summary>
public sealed record SceneObject(int Cell, Combo Kind)
{
    public int Row => Cell / World.Grid;
    public int Col => Cell % World.Grid;
}

public enum Lighting { Normal, Dark, Bright }

/// <summary>Low-level degradations applied after drawing (what qbench-like asks about).</summary>
public sealed record Degradation(bool Blur, bool Noise, Lighting Light)
{
    public static readonly Degradation None = new(false, false, Lighting.Normal);
}

/// <summary>A scene: objects in distinct cells, degradations and the seed of the noise pattern.</summary>
public sealed record Scene(IReadOnlyList<SceneObject> Objects, Degradation Degradation, ulong NoiseSeed)
{
    public bool Contains(Combo c) => Objects.Any(o => o.Kind == c);

    /// <summary>Content key (objects + degradations, not the noise pattern): equal keys = the same scene for split disjointness.</summary>
    public string Signature =>
        string.Join(";", Objects.OrderBy(o => o.Cell).Select(o => $"{o.Cell}:{o.Kind}")) +
        $"|{(Degradation.Blur ? "b" : "")}{(Degradation.Noise ? "n" : "")}{Degradation.Light}";

    /// <summary>A scene with the given objects in random distinct cells (cells not in <paramref name="avoid"/>).</summary>
    public static Scene Place(ZooRng rng, IReadOnlyList<Combo> kinds, Degradation degradation, IReadOnlyCollection<int>? avoid = null)
    {
        var cells = Enumerable.Range(0, World.Grid * World.Grid).Where(c => avoid is null || !avoid.Contains(c)).ToList();
        if (kinds.Count > cells.Count) throw new ArgumentException($"{kinds.Count} objects do not fit in {cells.Count} cells");
        rng.Shuffle(cells);
        return new Scene(kinds.Select((k, i) => new SceneObject(cells[i], k)).OrderBy(o => o.Cell).ToList(), degradation, rng.NextUInt64());
    }

    public Scene With(IEnumerable<SceneObject> more) =>
        this with { Objects = Objects.Concat(more).OrderBy(o => o.Cell).ToList() };
}
