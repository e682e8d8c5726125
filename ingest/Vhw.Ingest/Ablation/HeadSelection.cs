using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Ablation;

namespace Vhw.Ingest.Ablation;

/// <summary>Layers × heads of the decoder.</summary>
public sealed record ModelShape(int Layers, int Heads)
{
    public int Total => Layers * Heads;
    public IEnumerable<HeadRef> All() => Enumerable.Range(0, Layers).SelectMany(l => Enumerable.Range(0, Heads).Select(h => new HeadRef(l, h)));
    public string StageOf(HeadRef h) => StageRule.Of(h.Layer, Layers);
}

/// <summary>
/// A resolved selection of heads with its label. Strategy: baseline | top | random | stage | list.
/// <see cref="Seed"/> is the draw number of a random selection, <see cref="RngSeed"/> the generator seed it used.
/// </summary>
public sealed record HeadSelection(
    string Spec, string Strategy, string? Stage, int K, int? Seed, long? RngSeed, string? Score, string? ScoreSource, IReadOnlyList<HeadRef> Heads)
{
    /// <summary>Canonical "L.H,…" (sorted), the form stored in ablation_results.heads.</summary>
    public string HeadList => string.Join(',', Heads.Order());

    /// <summary>First 16 hex digits of SHA-256 over <see cref="HeadList"/>: equal head sets hash equally.</summary>
    public string Hash => EvaluationIdentity.Hash(HeadList);

    public HeadAblation ToAblation(HeadAblationMode mode) => new(mode, Heads);
}

/// <summary>
/// Parses and resolves head selections:
/// <list type="bullet">
/// <item><c>baseline</c> (or <c>none</c>): no head.</item>
/// <item><c>top:K</c>: the K best heads of the ranking.</item>
/// <item><c>random:K:SEED[:STAGE]</c>: K heads drawn without replacement from all heads (or one stage's) except the
/// ranking's top K of that scope (none excluded without a ranking), with a generator seeded by int(sha256(model name)) mod 10^8 (the authors' seed) + SEED.</item>
/// <item><c>stage:S[:K]</c>: every head of stage S (early | middle | late), or its K best by the ranking.</item>
/// <item><c>list:L.H,L.H,…</c>: the given heads.</item>
/// </list>
/// K is a head count or a percentage of all heads ("10%": round half away from zero, at least 1).
/// </summary>
public static class HeadSelections
{
    /// <summary>int(sha256(model name)) mod 10^8, as the authors seed their random head draws.</summary>
    public static long ModelSeed(string modelName)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(modelName));
        var value = new BigInteger(digest, isUnsigned: true, isBigEndian: true);
        return (long)(value % 100_000_000);
    }

    /// <summary>K heads for a share of all heads: round half away from zero, at least 1 for a positive share.</summary>
    public static int CountForPercent(double percent, int totalHeads)
    {
        if (percent < 0 || percent > 100) throw new ArgumentOutOfRangeException(nameof(percent), "a percentage lies in [0, 100]");
        if (percent == 0) return 0;
        return Math.Max(1, (int)Math.Round(percent / 100 * totalHeads, MidpointRounding.AwayFromZero));
    }

    public static HeadSelection Resolve(string spec, ModelShape shape, string modelName, HeadRanking? ranking)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        string[] parts = spec.Trim().Split(':');
        string kind = parts[0].ToLowerInvariant();
        HeadSelection Make(string strategy, string? stage, int? seed, long? rngSeed, bool ranked, IReadOnlyList<HeadRef> heads) =>
            new(spec.Trim(), strategy, stage, heads.Count, seed, rngSeed, ranked ? ranking!.Score : null, ranked ? ranking!.Source : null, heads);

        switch (kind)
        {
            case "baseline" or "none" when parts.Length == 1:
                return Make("baseline", null, null, null, false, []);
            case "top" when parts.Length == 2:
            {
                var r = Need(ranking, spec);
                return Make("top", null, null, null, true, Ranked(() => r.Top(Count(parts[1], shape, spec)), spec));
            }
            case "random" when parts.Length is 3 or 4:
            {
                int k = Count(parts[1], shape, spec);
                if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int seed))
                    throw new ArgumentException($"'{spec}': SEED must be a non-negative integer (the draw number)");
                string? stage = parts.Length == 4 ? Stage(parts[3], spec) : null;
                bool InScope(HeadRef h) => stage is null || shape.StageOf(h) == stage;
                var ranked = ranking?.Order.Where(InScope).ToList() ?? [];
                var excluded = ranked.Take(k).ToHashSet();                                 // the scope's top K
                var pool = shape.All().Where(h => InScope(h) && !excluded.Contains(h)).ToList();
                if (k > pool.Count) throw new ArgumentException($"'{spec}': {k} heads asked, {pool.Count} candidates outside the top {excluded.Count}");
                long rngSeed = ModelSeed(modelName) + seed;
                new SplitMix64((ulong)rngSeed).Shuffle(pool);
                return Make("random", stage, seed, rngSeed, ranking is not null, pool.Take(k).Order().ToList());
            }
            case "stage" when parts.Length is 2 or 3:
            {
                string stage = Stage(parts[1], spec);
                bool InStage(HeadRef h) => shape.StageOf(h) == stage;
                if (parts.Length == 2) return Make("stage", stage, null, null, false, shape.All().Where(InStage).ToList());
                var r = Need(ranking, spec);
                return Make("stage", stage, null, null, true, Ranked(() => r.Top(Count(parts[2], shape, spec), InStage), spec).Order().ToList());
            }
            case "list" when parts.Length == 2:
            {
                var heads = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item =>
                {
                    string[] lh = item.Split('.');
                    if (lh.Length != 2 || !int.TryParse(lh[0], NumberStyles.None, CultureInfo.InvariantCulture, out int l)
                        || !int.TryParse(lh[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
                        throw new ArgumentException($"'{spec}': '{item}' is not LAYER.HEAD");
                    if (l >= shape.Layers || h >= shape.Heads)
                        throw new ArgumentException($"'{spec}': head {item} is outside the model ({shape.Layers} layers × {shape.Heads} heads)");
                    return new HeadRef(l, h);
                }).Distinct().Order().ToList();
                return Make("list", null, null, null, false, heads);
            }
            default:
                throw new ArgumentException($"bad head selection '{spec}' (baseline | top:K | random:K:SEED[:STAGE] | stage:early|middle|late[:K] | list:L.H,…; K = count or N%)");
        }
    }

    private static int Count(string text, ModelShape shape, string spec)
    {
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double pct))
            return CountForPercent(pct, shape.Total);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k <= shape.Total) return k;
        throw new ArgumentException($"'{spec}': K must be a head count in 0..{shape.Total} or a percentage such as 10%");
    }

    private static IReadOnlyList<HeadRef> Ranked(Func<IReadOnlyList<HeadRef>> top, string spec)
    {
        try { return top(); }
        catch (ArgumentException e) when (!e.Message.StartsWith('\'')) { throw new ArgumentException($"'{spec}': {e.Message}", e); }
    }

    private static string Stage(string text, string spec) =>
        StageRule.IsStage(text) ? text : throw new ArgumentException($"'{spec}': stage must be early, middle or late");

    private static HeadRanking Need(HeadRanking? ranking, string spec) => ranking ?? throw new InvalidOperationException(
        $"'{spec}' needs a head ranking: run `vhw ingest` and `vhw transform` for this model first (head_scores), or use list:/random:/stage:S");
}
