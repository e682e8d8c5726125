using DuckDB.NET.Data;

namespace Vhw.Transform;

/// <summary>
/// Runs a named query of queries/ (embedded) or any SQL against warehouse.duckdb, with
/// <c>file_search_path</c> set to the warehouse root so the raw and staging views resolve too.
/// One connection per instance; read-only by default, so several readers can share the file.
/// </summary>
public sealed class QueryRunner : IDisposable
{
    private readonly DuckDBConnection _connection;

    public QueryRunner(string warehouseRoot, string? databasePath = null, bool readOnly = true)
    {
        WarehouseRoot = Path.GetFullPath(warehouseRoot);
        DatabasePath = Warehouse.DatabasePath(WarehouseRoot, databasePath);
        if (!File.Exists(DatabasePath))
            throw new FileNotFoundException($"no warehouse database at {DatabasePath}: run `vhw transform` first", DatabasePath);
        _connection = Warehouse.Open(WarehouseRoot, DatabasePath, readOnly);
    }

    public string WarehouseRoot { get; }
    public string DatabasePath { get; }

    /// <summary>Names of the queries in queries/ (file names without .sql), sorted.</summary>
    public static IReadOnlyList<string> NamedQueries => SqlProject.Embedded.Queries.Select(q => q.Name).ToList();

    /// <summary>The SQL of a named query.</summary>
    public static string GetNamedQuerySql(string name) =>
        SqlProject.Embedded.Queries.FirstOrDefault(q => q.Name == name)?.Sql
        ?? throw new ArgumentException($"no query named '{name}' (available: {string.Join(", ", NamedQueries)})", nameof(name));

    /// <summary>Runs queries/&lt;name&gt;.sql.</summary>
    public QueryResult RunNamed(string name, CancellationToken ct = default) => Run(GetNamedQuerySql(name), ct);

    /// <summary>Runs SQL; with several statements, the result of the last one that returns columns.</summary>
    public QueryResult Run(string sql, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var registration = ct.Register(command.Cancel);
        try
        {
            using var reader = command.ExecuteReader();
            var result = new QueryResult([], []);
            do
            {
                if (reader.FieldCount == 0) continue;
                var columns = Enumerable.Range(0, reader.FieldCount)
                    .Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i), reader.GetFieldType(i)))
                    .ToList();
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    ct.ThrowIfCancellationRequested();
                    var row = new object?[reader.FieldCount];
                    for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
                result = new QueryResult(columns, rows);
            }
            while (reader.NextResult());
            return result;
        }
        catch (DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    public void Dispose() => _connection.Dispose();
}
