using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;

namespace Vhw.Transform.Summaries;

/// <summary>What one <see cref="HeadSummaryWriter.WriteMissing"/> call did.</summary>
/// <param name="FactParts">head_facts parts in the warehouse.</param>
/// <param name="AlreadySummarised">Parts a usable summary already covered.</param>
/// <param name="Summarised">Parts summarised by this call.</param>
/// <param name="Files">Summary files written (one per model × benchmark with unsummarised parts).</param>
public sealed record SummaryResult(int FactParts, int AlreadySummarised, int Summarised, int Files, TimeSpan Elapsed);

/// <summary>
/// Writes the head summaries (schema.sql's head_summaries; the partials of transform/macros/partial_aggregates.sql) of every
/// head_facts part that no usable summary covers: per model × benchmark one Parquet file,
/// <c>head_summaries/model=M/benchmark=B/summary-&lt;hash of its parts&gt;.parquet</c>, written to a temp name and renamed.
/// The partials are computed by DuckDB with the transform's own macros, from the facts as the head_facts view gives
/// them, so a summary holds exactly what <c>vhw transform</c> would aggregate from the part. Idempotent: a second call
/// finds nothing to do; the same parts always give the same file name.
/// </summary>
public static class HeadSummaryWriter
{
    public const string Table = "head_summaries";

    public static SummaryResult WriteMissing(string warehouseRoot, IProgress<string>? progress = null, TransformSettings? settings = null,
        CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        string root = Path.GetFullPath(warehouseRoot);
        var absentOptional = RawTables.EnsurePresent(root);
        using var connection = Warehouse.Open(root, ":memory:", readOnly: false);
        foreach (string pragma in (settings ?? TransformSettings.Default).PragmaStatements())
            Warehouse.Execute(connection, pragma, ct);
        TransformRunner.ApplySchemaAndMacros(connection, SqlProject.Embedded, absentOptional, progress: null, ct);

        var missing = MissingParts(connection, ct);
        int factParts = (int)Warehouse.ScalarLong(connection, "select count(*) from fact_parts()", ct);
        int done = 0, files = 0;
        foreach (var group in missing.GroupBy(p => (p.Model, p.Benchmark)))
        {
            var parts = group.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            string path = Write(connection, root, group.Key.Model, group.Key.Benchmark, parts, ct);
            done += parts.Count;
            files++;
            progress?.Report($"head summaries: {group.Key.Model} × {group.Key.Benchmark}: {parts.Count} parts -> {Path.GetRelativePath(root, path)}");
        }
        return new SummaryResult(factParts, factParts - missing.Count, done, files, watch.Elapsed);
    }

    private sealed record Part(string Model, string Benchmark, string Name, string Key, long Rows);

    private static List<Part> MissingParts(DuckDBConnection connection, CancellationToken ct)
    {
        var parts = new List<Part>();
        using var command = connection.CreateCommand();
        command.CommandText = """
            select model, benchmark, part, part_key(model, benchmark, part), num_rows
            from fact_parts()
            where part_key(model, benchmark, part) not in (select part_key from summarised_parts())
            order by 1, 2, 3
            """;
        using var registration = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            parts.Add(new Part(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)));
        return parts;
    }

    // One model × benchmark's parts: head_facts scoped to the model's files (schema.sql's vhw_model_scope), the parts'
    // row counts as constants (no second footer scan per statement).
    private static string Write(DuckDBConnection connection, string root, string model, string benchmark, IReadOnlyList<Part> parts,
        CancellationToken ct)
    {
        var keys = parts.Select(p => p.Key).ToList();
        string dir = Path.Combine(root, Table, "model=" + model, "benchmark=" + benchmark);
        Directory.CreateDirectory(dir);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', keys))))[..16];
        string final = Path.Combine(dir, $"summary-{hash}.parquet");
        string tmp = $"{final}.{Environment.ProcessId}.tmp";
        string list = "[" + string.Join(", ", keys.Select(Literal)) + "]";
        string rows = string.Join(", ", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"({Literal(p.Name)}, {p.Rows})")));
        try
        {
            Warehouse.Execute(connection, $"set variable {TransformRunner.ModelScopeVariable} = {Literal(model)}", ct);
            Warehouse.Execute(connection, $"""
                copy (
                    select partials.* exclude (model, benchmark), parts.num_rows as part_rows
                    from head_partials({list}, true) as partials
                    inner join (values {rows}) as parts(part, num_rows) on partials.part = parts.part
                    order by partials.part, partials.run_id, partials.query_kind, partials.layer, partials.head
                ) to {Literal(tmp)} (format parquet, compression zstd)
                """, ct);
            File.Move(tmp, final, overwrite: true);
        }
        finally
        {
            Warehouse.Execute(connection, $"reset variable {TransformRunner.ModelScopeVariable}", CancellationToken.None);
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return final;
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>One line for a log: what was summarised.</summary>
    public static string Describe(SummaryResult r) => string.Create(CultureInfo.InvariantCulture,
        $"head summaries: {r.Summarised:N0} parts summarised in {r.Files:N0} file{(r.Files == 1 ? "" : "s")}, {r.AlreadySummarised:N0} already were, of {r.FactParts:N0} fact parts ({r.Elapsed.TotalSeconds:0.0} s)");
}
