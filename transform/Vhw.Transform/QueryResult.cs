namespace Vhw.Transform;

/// <summary>Columns and rows of a query; NULL is null.</summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Index of a column by name (ordinal, case-insensitive).</summary>
    public int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i].Name, column, StringComparison.OrdinalIgnoreCase)) return i;
        throw new KeyNotFoundException($"no column '{column}' (columns: {string.Join(", ", Columns.Select(c => c.Name))})");
    }
}

/// <summary>A result column: name, DuckDB type name, CLR type of its values.</summary>
public sealed record QueryColumn(string Name, string DataType, Type ClrType);
