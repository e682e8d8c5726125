namespace Vhw.Transform;

/// <summary>The raw tables of schema.sql: the folder each one reads under the warehouse root.</summary>
public static class RawTables
{
    /// <summary>Tables the transform cannot run without.</summary>
    public static IReadOnlyList<string> Required { get; } = ["head_facts", "samples", "models", "runs"];

    /// <summary>
    /// Tables whose folder may be absent: ingest writes rejects only when an input was rejected. DuckDB cannot
    /// create a view over a glob that matches no file, so such a table gets an empty view with schema.sql's columns.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OptionalEmptyViews { get; } = new Dictionary<string, string>
    {
        ["rejects"] = """
            create or replace view rejects as
            select
                cast(null as varchar) as run_id, cast(null as varchar) as source_file, cast(null as integer) as line,
                cast(null as varchar) as sample_id, cast(null as varchar) as field, cast(null as varchar) as reason,
                cast(null as varchar) as model, cast(null as varchar) as benchmark
            where false
            """,
    };

    /// <summary>True when the folder holds at least one Parquet file.</summary>
    public static bool HasParquet(string warehouseRoot, string table)
    {
        string folder = Path.Combine(warehouseRoot, table);
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
    }

    /// <summary>Throws a <see cref="TransformException"/> naming every required folder without Parquet;
    /// returns the optional tables whose folder has none.</summary>
    public static IReadOnlySet<string> EnsurePresent(string warehouseRoot)
    {
        if (!Directory.Exists(warehouseRoot))
            throw new TransformException($"warehouse root {warehouseRoot} does not exist: run `vhw ingest` first (or pass the warehouse folder)");
        var missing = Required.Where(t => !HasParquet(warehouseRoot, t)).Select(t => Path.Combine(warehouseRoot, t)).ToList();
        if (missing.Count > 0)
            throw new TransformException($"no Parquet under {string.Join(", ", missing)}: run `vhw ingest` first");
        return OptionalEmptyViews.Keys.Where(t => !HasParquet(warehouseRoot, t)).ToHashSet();
    }
}
