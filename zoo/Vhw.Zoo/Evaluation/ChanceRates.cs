using Vhw.Zoo.Data;

namespace Vhw.Zoo.Evaluation;

/// <summary>
/// Chance rate of each zoo benchmark, derived from its answer structure: the accuracy of the best guess without the
/// image, which knows the question type (task) and answers with that type's most frequent answer; the rate is the
/// types' mean weighted by their share of the items. Balanced by construction this is pope-like 1/2, mmbench-like and
/// seed-like 1/4 (letters uniform per type), qbench-like (1/2 + 1/2 + 1/3) / 3 ≈ 0.44 (blur and noise yes/no, lighting
/// A–C); pointqa-like mixes counts uniform over four values (1/4) with "what is in the box", whose most popular object
/// kind (<see cref="ScenePrior"/>) has about 0.19, so ≈ 0.23. Derive it from the large train split.
/// This is the one place chance rates are defined.
/// </summary>
public static class ChanceRates
{
    /// <summary>Chance rate per benchmark of <paramref name="items"/> (any split; the train split is the largest).</summary>
    public static IReadOnlyDictionary<string, double> Derive(IEnumerable<QaItem> items) =>
        items.GroupBy(i => i.Benchmark, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Of(g), StringComparer.Ordinal);

    /// <summary>Best image-blind accuracy over one benchmark's items: Σ over tasks of the task's most frequent answer count, over all items.</summary>
    public static double Of(IEnumerable<QaItem> items)
    {
        var list = items.ToList();
        if (list.Count == 0) throw new ArgumentException("no items to derive a chance rate from", nameof(items));
        int best = list.GroupBy(i => i.Task, StringComparer.Ordinal)
            .Sum(task => task.GroupBy(i => i.Answer, StringComparer.Ordinal).Max(a => a.Count()));
        return (double)best / list.Count;
    }
}
