using System.Text.RegularExpressions;

namespace Vhw.Transform.Sharing;

/// <summary>A raw table of schema.sql: its folder, hive partition keys (in path order) and the columns its comment promises.</summary>
public sealed record RawTable(string Name, IReadOnlyList<string> PartitionKeys, IReadOnlyList<RawColumn> Columns);

/// <summary>A column promised by schema.sql (<c>name type</c> in the comment under the view).</summary>
public sealed record RawColumn(string Name, string Type);

/// <summary>
/// The raw-table contract read from schema.sql itself, so tables other features add (one view + its column
/// comment) are exported, imported and validated without code changes: each
/// <c>create or replace view T as select * from read_parquet('T/*/…/*.parquet', …, hive_types = {'k': …})</c>
/// with the <c>--   name type, …</c> comment lines that follow it (or a view over a table macro that reads the files:
/// <c>create or replace macro T_parts() as table select * from read_parquet(…)</c>, whose partition keys the view takes).
/// </summary>
public static partial class RawSchema
{
    public static IReadOnlyList<RawTable> Parse(string schemaSql)
    {
        var tables = new List<RawTable>();
        string? name = null;
        var keys = new List<string>();
        var columns = new List<RawColumn>();
        // a table macro that reads the files (head_facts_parts()) lends its partition keys to the views that call it
        var macroKeys = new Dictionary<string, List<string>>();
        string? macro = null;
        foreach (string line in schemaSql.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (View().Match(line) is { Success: true } view)
            {
                Flush();
                name = view.Groups[1].Value;
                macro = null;
                continue;
            }
            if (TableMacro().Match(line) is { Success: true } tableMacro)
            {
                Flush();
                macro = tableMacro.Groups[1].Value;
                macroKeys[macro] = [];
                continue;
            }
            if (macro is not null && HiveTypes().Match(line) is { Success: true } macroHive)
                macroKeys[macro].AddRange(HiveKey().Matches(macroHive.Groups[1].Value).Select(m => m.Groups[1].Value));
            if (name is null) continue;
            if (HiveTypes().Match(line) is { Success: true } hive)
                keys.AddRange(HiveKey().Matches(hive.Groups[1].Value).Select(m => m.Groups[1].Value));
            foreach (var (called, calledKeys) in macroKeys)
                if (line.Contains(called + "()", StringComparison.Ordinal)) keys.AddRange(calledKeys);
            if (line.StartsWith("--   ", StringComparison.Ordinal))
                columns.AddRange(ColumnSpec().Matches(line[2..]).Select(m => new RawColumn(m.Groups[1].Value, m.Groups[2].Value)));
        }
        Flush();
        return tables;

        void Flush()
        {
            if (name is not null) tables.Add(new RawTable(name, keys.Distinct().ToList(), columns.DistinctBy(c => c.Name).ToList()));
            name = null;
            keys.Clear();
            columns.Clear();
        }
    }

    /// <summary>A column type's family ("string", "integer", "float", "boolean", "timestamp"), also for DuckDB's type names.</summary>
    public static string TypeFamily(string type)
    {
        string t = type.Trim().ToUpperInvariant();
        if (t is "VARCHAR" or "TEXT" or "STRING") return "string";
        if (t is "BOOLEAN" or "BOOL") return "boolean";
        if (t.StartsWith("TIMESTAMP", StringComparison.Ordinal) || t == "DATE") return "timestamp";
        if (t is "FLOAT" or "REAL" or "DOUBLE" || t.StartsWith("DECIMAL", StringComparison.Ordinal)) return "float";
        if (t.EndsWith("INT", StringComparison.Ordinal) || t is "INTEGER" or "BIGINT" or "SMALLINT" or "TINYINT" or "HUGEINT"
            or "UINTEGER" or "UBIGINT" or "USMALLINT" or "UTINYINT") return "integer";
        return t.ToLowerInvariant();
    }

    /// <summary>True when a file column of <paramref name="actual"/> type can stand for a contract column of <paramref name="promised"/> type.</summary>
    public static bool Compatible(string promised, string actual)
    {
        string p = TypeFamily(promised), a = TypeFamily(actual);
        return p == a || (p == "float" && a == "integer") || a == "null";
    }

    [GeneratedRegex(@"^\s*create\s+(?:or\s+replace\s+)?view\s+([a-z_][a-z0-9_]*)\s+as", RegexOptions.IgnoreCase)]
    private static partial Regex View();

    [GeneratedRegex(@"^\s*create\s+(?:or\s+replace\s+)?macro\s+([a-z_][a-z0-9_]*)\s*\(\s*\)\s+as\s+table", RegexOptions.IgnoreCase)]
    private static partial Regex TableMacro();

    [GeneratedRegex(@"hive_types\s*=\s*\{([^}]*)\}", RegexOptions.IgnoreCase)]
    private static partial Regex HiveTypes();

    [GeneratedRegex(@"'([a-z_][a-z0-9_]*)'\s*:")]
    private static partial Regex HiveKey();

    [GeneratedRegex(@"(?:^|,)\s*([a-z_][a-z0-9_]*) (varchar|smallint|integer|bigint|float|double|boolean|timestamp)\b(?=\s*(?:,|\(|$))")]
    private static partial Regex ColumnSpec();
}
