using DuckDB.NET.Data;

namespace Vhw.Transform;

/// <summary>Opening warehouse.duckdb with the raw Parquet paths resolved against the warehouse root.</summary>
public static class Warehouse
{
    public const string DatabaseFileName = "warehouse.duckdb";

    /// <summary>The database path: <paramref name="databasePath"/>, or <c>&lt;root&gt;/warehouse.duckdb</c>.</summary>
    public static string DatabasePath(string warehouseRoot, string? databasePath = null) =>
        Path.GetFullPath(databasePath ?? Path.Combine(warehouseRoot, DatabaseFileName));

    /// <summary>Opens the database and sets <c>file_search_path</c> to the root, so schema.sql's relative globs resolve.</summary>
    public static DuckDBConnection Open(string warehouseRoot, string databasePath, bool readOnly)
    {
        string root = Path.GetFullPath(warehouseRoot);
        if (root.Contains(','))
            throw new ArgumentException($"warehouse root {root} contains a comma; DuckDB's file_search_path is a comma-separated list", nameof(warehouseRoot));
        var builder = new DuckDBConnectionStringBuilder { DataSource = databasePath };
        if (readOnly) builder["ACCESS_MODE"] = "READ_ONLY";
        var connection = new DuckDBConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, $"set file_search_path = '{root.Replace("'", "''")}'", CancellationToken.None);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs SQL (one or more statements); the token interrupts DuckDB.</summary>
    public static void Execute(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var registration = ct.Register(command.Cancel);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>The first column of the first row as a long.</summary>
    public static long ScalarLong(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var registration = ct.Register(command.Cancel);
        try
        {
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }
}
