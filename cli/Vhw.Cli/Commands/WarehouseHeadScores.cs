using System.Globalization;
using Vhw.Ingest.Ablation;
using Vhw.Modeling.Ablation;
using Vhw.Transform;

namespace Vhw.Cli.Commands;

/// <summary>
/// Head rankings from warehouse.duckdb's head_scores mart (the latest run per model × benchmark × query kind). A
/// benchmark's own scores, or pooled: the mean of the score over the model's benchmarks. Ties: layer, head.
/// </summary>
public sealed class WarehouseHeadScores(string warehouseRoot) : IHeadScoreSource
{
    public HeadRanking? Load(string model, string? benchmark, string score, string queryKind)
    {
        HeadRanking.ValidateScore(score);
        if (!File.Exists(Warehouse.DatabasePath(warehouseRoot))) return null;
        using var q = new QueryRunner(warehouseRoot);
        static string Literal(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        var result = q.Run($"""
            select layer, head, avg({score}) as score
            from head_scores
            where model = {Literal(model)} and query_kind = {Literal(queryKind)}
              {(benchmark is null ? "" : $"and benchmark = {Literal(benchmark)}")}
            group by layer, head
            order by score desc nulls last, layer, head
            """);
        if (result.Rows.Count == 0) return null;
        var order = result.Rows.Select(r => new HeadRef(Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Convert.ToInt32(r[1], CultureInfo.InvariantCulture))).ToList();
        return new HeadRanking(score, benchmark ?? HeadRanking.Pooled, order);
    }
}
