using System.Globalization;
using DuckDB.NET.Data;

namespace Vhw.Transform.Sharing;

/// <summary>An in-memory DuckDB for reading single Parquet files (columns, row counts) and writing merged ones.</summary>
internal sealed class ParquetProbe : IDisposable
{
    private readonly DuckDBConnection _db = new("Data Source=:memory:");

    public ParquetProbe() => _db.Open();

    public static string Literal(string path) => "'" + path.Replace("'", "''") + "'";

    public static string ListLiteral(IEnumerable<string> paths) => "[" + string.Join(", ", paths.Select(Literal)) + "]";

    public static string Ident(string column) => "\"" + column.Replace("\"", "\"\"") + "\"";

    /// <summary>Columns stored in the file (no hive partition columns), with DuckDB type names.</summary>
    public IReadOnlyList<(string Name, string Type)> Columns(string file, CancellationToken ct) =>
        Rows($"describe select * from read_parquet({Literal(file)}, hive_partitioning = false)", ct)
            .Select(r => ((string)r[0]!, (string)r[1]!)).ToList();

    public long Count(string file, CancellationToken ct) => Scalar($"select count(*) from read_parquet({Literal(file)}, hive_partitioning = false)", ct);

    public long Scalar(string sql, CancellationToken ct) =>
        Convert.ToInt64(Rows(sql, ct)[0][0], CultureInfo.InvariantCulture);

    public void Execute(string sql, CancellationToken ct) => Warehouse.Execute(_db, sql, ct);

    public List<object?[]> Rows(string sql, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        using var registration = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public void Dispose() => _db.Dispose();
}
