using DuckDB.NET.Data;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>Runs SQL against a warehouse root through the real schema.sql views.</summary>
static class Duck
{
    public static List<object?[]> Query(string warehouse, string sql, bool withSchema = true)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SET file_search_path = '{warehouse}';";
        cmd.ExecuteNonQuery();
        if (withSchema)
        {
            // every view of schema.sql whose folder has files (optional tables may be absent)
            // comments removed first: they may hold ';' (e.g. "the authors' choice; keys = …")
            string schema = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot, "schema.sql")), "--[^\n]*", "");
            // a statement reading no files (head_facts over the table macro head_facts_parts()) runs when what it calls exists
            var defined = new HashSet<string>();
            foreach (var statement in schema.Split(';'))
            {
                var m = System.Text.RegularExpressions.Regex.Match(statement, @"read_parquet\('([a-z_]+)/");
                var calls = System.Text.RegularExpressions.Regex.Matches(statement, @"\b([a-z_]+)\(\)").Select(c => c.Groups[1].Value);
                if (m.Success ? !Directory.Exists(Path.Combine(warehouse, m.Groups[1].Value)) : !calls.Any(defined.Contains)) continue;
                cmd.CommandText = statement;
                cmd.ExecuteNonQuery();
                if (System.Text.RegularExpressions.Regex.Match(statement, @"macro\s+([a-z_]+)\(\)") is { Success: true } macro) defined.Add(macro.Groups[1].Value);
            }
        }
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (int i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static long Scalar(string warehouse, string sql) => Convert.ToInt64(Query(warehouse, sql)[0][0]);

    /// <summary>Without schema.sql: for partial warehouses (e.g. no runs table yet).</summary>
    public static long RawScalar(string warehouse, string sql) => Convert.ToInt64(Query(warehouse, sql, withSchema: false)[0][0]);

    /// <summary>Order-independent checksum over every column of every row of a raw table (head_facts without part:
    /// which file holds a row is layout, not content, and shards name their parts differently).</summary>
    public static string Checksum(string warehouse, string table) =>
        (string)Query(warehouse, $"select count(*)::varchar || ':' || coalesce(bit_xor(hash(t)), 0)::varchar from (select * {(table == "head_facts" ? "exclude (part) " : "")}from {table}) t")[0][0]!;

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "schema.sql"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("schema.sql not found above " + AppContext.BaseDirectory);
        }
    }
}
