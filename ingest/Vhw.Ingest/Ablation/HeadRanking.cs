using Vhw.Modeling.Ablation;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// Heads of one model ordered best first by a score of the warehouse's <c>head_scores</c> mart (e.g.
/// mean_image_fraction): the order <c>top:K</c> and <c>stage:S:K</c> take from and <c>random:</c> excludes.
/// </summary>
/// <param name="Score">The head_scores column ranked by.</param>
/// <param name="Source">The benchmark whose scores were used, or "pooled" (mean over the model's benchmarks).</param>
/// <param name="Order">Heads, highest score first (ties by layer, head).</param>
public sealed record HeadRanking(string Score, string Source, IReadOnlyList<HeadRef> Order)
{
    public const string Pooled = "pooled";

    /// <summary>Columns of head_scores a ranking may use (higher = more visual).</summary>
    public static readonly string[] Scores =
    [
        "mean_image_fraction", "mean_image_lift", "mean_image_concentration", "detection_score",
        "mean_region_fraction", "mean_region_lift", "mean_region_concentration",
    ];

    public static string ValidateScore(string score) => Scores.Contains(score) ? score
        : throw new ArgumentException($"unknown score '{score}' (one of {string.Join(", ", Scores)})");

    /// <summary>The first <paramref name="k"/> heads (optionally only those of one stage).</summary>
    public IReadOnlyList<HeadRef> Top(int k, Func<HeadRef, bool>? where = null)
    {
        var pool = where is null ? Order : Order.Where(where).ToList();
        if (k > pool.Count) throw new ArgumentException($"top {k} asked, the ranking by {Score} ({Source}) holds {pool.Count} such heads");
        return pool.Take(k).ToList();
    }
}

/// <summary>Where rankings come from (the CLI reads warehouse.duckdb's head_scores; tests pass their own).</summary>
public interface IHeadScoreSource
{
    /// <summary>The ranking of <paramref name="model"/>'s heads by <paramref name="score"/> from the scores of
    /// <paramref name="benchmark"/> (or pooled over all of the model's benchmarks when null); null when there are none.</summary>
    HeadRanking? Load(string model, string? benchmark, string score, string queryKind);
}

/// <summary>No warehouse scores: selections that need a ranking fail with a message saying so.</summary>
public sealed class NoHeadScores : IHeadScoreSource
{
    public HeadRanking? Load(string model, string? benchmark, string score, string queryKind) => null;
}
