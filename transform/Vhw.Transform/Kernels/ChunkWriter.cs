using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Vhw.Transform.Kernels;

/// <summary>
/// Appends rows to a table through DuckDB's C API a data chunk (2 048 rows) at a time: values are written straight into
/// the chunk's vectors, lists as one copy of their elements, and each full chunk goes to the table with
/// duckdb_append_data_chunk. The ADO.NET appender converts every list element on its own (about 100 ns each, so a
/// kernel's 1 000-replicate lists took seconds per model). Runs on the caller's connection, so inside its transaction.
/// Write a row's columns (any order; a column not written is NULL), then <see cref="EndRow"/>; <see cref="Complete"/>
/// appends the last rows, and disposing without it drops the rows not yet appended.
/// </summary>
public sealed unsafe class ChunkWriter : IDisposable
{
    private const int Capacity = 2048; // DuckDB's vector size
    private readonly DuckDB.NET.Native.DuckDBAppender _appender;
    private readonly DuckDBLogicalType[] _types;
    private readonly DuckDBType[] _typeIds, _elementTypeIds;
    private readonly DuckDBDataChunk _chunk;
    private readonly bool[] _written;
    private readonly ulong[] _listSizes;
    private int _row;
    private bool _disposed;

    public ChunkWriter(DuckDBConnection connection, string table)
    {
        if (NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, null!, table, out _appender) != DuckDBState.Success)
            throw new KernelException($"cannot append to {table}: {Error()}");
        int columns = (int)NativeMethods.Appender.DuckDBAppenderColumnCount(_appender);
        _types = new DuckDBLogicalType[columns];
        _typeIds = new DuckDBType[columns];
        _elementTypeIds = new DuckDBType[columns];
        for (int c = 0; c < columns; c++)
        {
            _types[c] = NativeMethods.Appender.DuckDBAppenderColumnType(_appender, (ulong)c);
            _typeIds[c] = NativeMethods.LogicalType.DuckDBGetTypeId(_types[c]);
            if (_typeIds[c] == DuckDBType.List)
            {
                using var element = NativeMethods.LogicalType.DuckDBListTypeChildType(_types[c]);
                _elementTypeIds[c] = NativeMethods.LogicalType.DuckDBGetTypeId(element);
            }
        }
        _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(_types.Select(t => t.DangerousGetHandle()).ToArray(), (ulong)columns);
        _written = new bool[columns];
        _listSizes = new ulong[columns];
    }

    /// <summary>The row's VARCHAR value.</summary>
    public void Varchar(int column, string value)
    {
        Check(column, DuckDBType.Varchar);
        NativeMethods.Vectors.DuckDBVectorAssignStringElement(Vector(column), (ulong)_row, value);
        _written[column] = true;
    }

    /// <summary>The row's value of a fixed-width column (T matching its type), NULL when null.</summary>
    public void Value<T>(int column, T? value) where T : unmanaged
    {
        Check(column, TypeOf<T>());
        var vector = Vector(column);
        if (value is { } v) ((T*)NativeMethods.Vectors.DuckDBVectorGetData(vector))[_row] = v;
        else SetNull(vector, _row);
        _written[column] = true;
    }

    /// <summary>The row's list: <paramref name="values"/>, element i NULL where <paramref name="valid"/> is given and false.</summary>
    public void List<T>(int column, ReadOnlySpan<T> values, ReadOnlySpan<bool> valid = default) where T : unmanaged
    {
        Check(column, DuckDBType.List);
        if (_elementTypeIds[column] != TypeOf<T>())
            throw new KernelException($"column {column + 1} holds {_elementTypeIds[column]} lists, not {TypeOf<T>()}");
        if (!valid.IsEmpty && valid.Length != values.Length) throw new ArgumentException("one validity per value", nameof(valid));
        var vector = Vector(column);
        ulong offset = _listSizes[column], size = offset + (ulong)values.Length;
        if (NativeMethods.Vectors.DuckDBListVectorReserve(vector, size) != DuckDBState.Success)
            throw new KernelException($"cannot reserve {size} list elements in column {column + 1}");
        var child = NativeMethods.Vectors.DuckDBListVectorGetChild(vector);
        values.CopyTo(new Span<T>((T*)NativeMethods.Vectors.DuckDBVectorGetData(child) + offset, values.Length));
        for (int i = 0; i < valid.Length; i++)
            if (!valid[i]) SetNull(child, (int)offset + i);
        ((ChunkStream.ListEntry*)NativeMethods.Vectors.DuckDBVectorGetData(vector))[_row] = new(offset, (ulong)values.Length);
        NativeMethods.Vectors.DuckDBListVectorSetSize(vector, size);
        _listSizes[column] = size;
        _written[column] = true;
    }

    /// <summary>Ends the row (columns not written are NULL); a full chunk is appended to the table.</summary>
    public void EndRow()
    {
        for (int c = 0; c < _written.Length; c++)
        {
            if (!_written[c]) SetNull(Vector(c), _row);
            _written[c] = false;
        }
        if (++_row == Capacity) Flush();
    }

    private void Flush()
    {
        if (_row == 0) return;
        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_row);
        if (NativeMethods.Appender.DuckDBAppendDataChunk(_appender, _chunk) != DuckDBState.Success)
            throw new KernelException($"appending rows failed: {Error()}");
        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        for (int c = 0; c < _listSizes.Length; c++)
        {
            if (_listSizes[c] > 0) NativeMethods.Vectors.DuckDBListVectorSetSize(Vector(c), 0);
            _listSizes[c] = 0;
        }
        _row = 0;
    }

    /// <summary>Appends the rows still in the chunk and closes the appender (its error, if any, is thrown).</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Flush();
        if (NativeMethods.Appender.DuckDBAppenderClose(_appender) != DuckDBState.Success)
            throw new KernelException($"appending rows failed: {Error()}");
    }

    /// <summary>Releases the appender and the chunk (rows not appended by <see cref="Complete"/> are dropped).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _appender.Dispose();
        _chunk.Dispose();
        foreach (var type in _types) type.Dispose();
    }

    private IntPtr Vector(int column) => NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, column);

    private void Check(int column, DuckDBType type)
    {
        if ((uint)column >= (uint)_typeIds.Length) throw new KernelException($"column {column + 1} of {_typeIds.Length}");
        if (_typeIds[column] != type) throw new KernelException($"column {column + 1} is {_typeIds[column]}, not {type}");
    }

    private static void SetNull(IntPtr vector, int row)
    {
        NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(vector);
        ulong* validity = NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
        validity[row >> 6] &= ~(1UL << (row & 63));
    }

    private static DuckDBType TypeOf<T>() => default(T) switch
    {
        int => DuckDBType.Integer,
        long => DuckDBType.BigInt,
        double => DuckDBType.Double,
        float => DuckDBType.Float,
        byte => DuckDBType.UnsignedTinyInt,
        _ => throw new KernelException($"no DuckDB type for {typeof(T).Name}"),
    };

    private string Error() => NativeMethods.ErrorData.DuckDBErrorDataMessage(NativeMethods.Appender.DuckDBAppenderErrorData(_appender));
}
