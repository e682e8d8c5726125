using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Vhw.Transform.Kernels;

/// <summary>
/// Streams a query's result as DuckDB data chunks (up to 2 048 rows each) through DuckDB's C API, so a kernel reads
/// each column's values where DuckDB put them: a span over the vector's data plus its validity mask, no boxed value per
/// cell as the ADO.NET reader gives (15M facts: 0.3 s instead of seconds). Runs on the caller's connection, so inside
/// its transaction. Each column must have the type the caller names (cast in the SQL); a mismatch fails with the
/// column's name. A LIST column is read as its entries (offset, length) into one span of child values.
/// </summary>
public static unsafe class ChunkStream
{
    /// <summary>A column the caller expects: its name and type, and for a LIST its element type.</summary>
    public readonly record struct Column(string Name, DuckDBType Type, DuckDBType ListOf = DuckDBType.Invalid)
    {
        public static implicit operator Column((string Name, DuckDBType Type) column) => new(column.Name, column.Type);

        public override string ToString() => Type == DuckDBType.List ? $"{Name} {ListOf}[]" : $"{Name} {Type}";
    }

    /// <summary>One list of a LIST column: its elements are the child values [Offset, Offset + Length).</summary>
    public readonly record struct ListEntry(ulong Offset, ulong Length);

    /// <summary>A chunk's LIST column (<see cref="Chunk.List{T}"/>).</summary>
    public readonly ref struct ListColumn<T>(ReadOnlySpan<ListEntry> entries, ReadOnlySpan<T> elements, ReadOnlySpan<ulong> elementValidity)
        where T : unmanaged
    {
        public ReadOnlySpan<ListEntry> Entries { get; } = entries;
        public ReadOnlySpan<T> Elements { get; } = elements;
        public ReadOnlySpan<ulong> ElementValidity { get; } = elementValidity;
    }

    /// <summary>Runs <paramref name="sql"/> and calls <paramref name="onChunk"/> for every non-empty chunk, in order.</summary>
    public static void ForEach(DuckDBConnection connection, string sql, IReadOnlyList<Column> columns,
        Action<Chunk> onChunk, CancellationToken ct)
    {
        var state = NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, sql, out var prepared);
        using (prepared)
        {
            if (state != DuckDBState.Success)
                throw new KernelException(NativeMethods.PreparedStatements.DuckDBPrepareError(prepared));
            state = NativeMethods.PreparedStatements.DuckDBExecutePreparedStreaming(prepared, out var result);
            try
            {
                if (state != DuckDBState.Success)
                    throw new KernelException(NativeMethods.Query.DuckDBResultError(ref result));
                CheckColumns(ref result, columns);
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    using var chunk = NativeMethods.Query.DuckDBFetchChunk(result);
                    if (chunk.IsInvalid)
                    {
                        string? error = NativeMethods.Query.DuckDBResultError(ref result);
                        if (!string.IsNullOrEmpty(error)) throw new KernelException(error);
                        break;
                    }
                    long rows = (long)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
                    if (rows == 0) break;
                    onChunk(new Chunk(chunk, (int)rows));
                }
            }
            finally
            {
                NativeMethods.Query.DuckDBDestroyResult(ref result);
            }
        }
    }

    private static void CheckColumns(ref DuckDBResult result, IReadOnlyList<Column> columns)
    {
        long count = (long)NativeMethods.Query.DuckDBColumnCount(ref result);
        if (count != columns.Count)
            throw new KernelException($"expected {columns.Count} columns ({string.Join(", ", columns.Select(c => c.Name))}), the query returns {count}");
        for (int i = 0; i < columns.Count; i++)
        {
            string name = NativeMethods.Query.DuckDBColumnName(ref result, i);
            var type = NativeMethods.Query.DuckDBColumnType(ref result, i);
            var listOf = DuckDBType.Invalid;
            if (type == DuckDBType.List)
            {
                using var logical = NativeMethods.Query.DuckDBColumnLogicalType(ref result, i);
                using var child = NativeMethods.LogicalType.DuckDBListTypeChildType(logical);
                listOf = NativeMethods.LogicalType.DuckDBGetTypeId(child);
            }
            var actual = new Column(name, type, listOf);
            if (actual != columns[i])
                throw new KernelException($"column {i + 1} must be {columns[i]}, the query returns {actual}");
        }
    }

    /// <summary>Whether a row is valid (not NULL) by DuckDB validity words: bit row % 64 of word row / 64; no words, every row.</summary>
    public static bool IsValid(ReadOnlySpan<ulong> validity, int row) => validity.IsEmpty || (validity[row >> 6] >> (row & 63) & 1) != 0;

    /// <summary>One chunk: <see cref="Count"/> rows; column values as spans, NULLs by <see cref="IsValid"/>.</summary>
    public readonly ref struct Chunk
    {
        private readonly DuckDBDataChunk _chunk;

        internal Chunk(DuckDBDataChunk chunk, int count)
        {
            _chunk = chunk;
            Count = count;
        }

        public int Count { get; }

        /// <summary>The column's values (fixed-width type T matching the column's type; undefined where NULL).</summary>
        public ReadOnlySpan<T> Values<T>(int column) where T : unmanaged =>
            new(NativeMethods.Vectors.DuckDBVectorGetData(Vector(column)), Count);

        /// <summary>
        /// A LIST column: each row's entry into <c>Elements</c> (undefined where the row is NULL), and every element of
        /// the chunk's lists (type T matching the element type) with their validity words (empty when none is NULL).
        /// </summary>
        public ListColumn<T> List<T>(int column)
            where T : unmanaged
        {
            var vector = Vector(column);
            var child = NativeMethods.Vectors.DuckDBListVectorGetChild(vector);
            int size = checked((int)NativeMethods.Vectors.DuckDBListVectorGetSize(vector));
            ulong* validity = NativeMethods.Vectors.DuckDBVectorGetValidity(child);
            return new(new ReadOnlySpan<ListEntry>(NativeMethods.Vectors.DuckDBVectorGetData(vector), Count),
                new ReadOnlySpan<T>(NativeMethods.Vectors.DuckDBVectorGetData(child), size),
                validity == null ? default : new ReadOnlySpan<ulong>(validity, (size + 63) / 64));
        }

        /// <summary>The column's validity mask: null when no row is NULL, else bit (row % 64) of word row / 64.</summary>
        private ulong* Validity(int column) => NativeMethods.Vectors.DuckDBVectorGetValidity(Vector(column));

        /// <summary>Whether the row's value in the column is not NULL.</summary>
        public bool IsValid(int column, int row) => ChunkStream.IsValid(ValidityWords(column), row);

        /// <summary>The column's validity words (<see cref="Validity"/>) as a span, empty when no row is NULL.</summary>
        public ReadOnlySpan<ulong> ValidityWords(int column) =>
            Validity(column) is var words && words == null ? default : new ReadOnlySpan<ulong>(words, (Count + 63) / 64);

        private IntPtr Vector(int column) => NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, column);
    }
}
