using DuckDB.NET.Data;
using Vhw.Transform.Kernels;

namespace Vhw.Transform.Tests;

/// <summary>The kernels' native appender: what it writes reads back from SQL, NULLs and lists included.</summary>
public sealed class ChunkWriterTests
{
    [Fact]
    public void Rows_written_through_data_chunks_read_back_with_their_nulls_and_lists_across_chunks()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Execute(db, "create table t (name varchar, i integer, x double, xs double[], bs utinyint[])");
        const int rows = 5000; // three chunks of 2 048
        using (var writer = new ChunkWriter(db, "t"))
        {
            for (int r = 0; r < rows; r++)
            {
                writer.Varchar(0, r % 2 == 0 ? $"row {r}" : "a longer name than a DuckDB inline string " + r);
                writer.Value<int>(1, r % 5 == 0 ? null : r);
                if (r % 7 != 0) writer.Value<double>(2, r * 0.25); // not written: NULL
                double[] xs = Enumerable.Range(0, r % 4).Select(k => r + k * 0.5).ToArray();
                bool[] valid = xs.Select((_, k) => (r + k) % 3 != 0).ToArray();
                writer.List<double>(3, xs, valid);
                writer.List<byte>(4, [(byte)(r % 256)]);
                writer.EndRow();
            }
            writer.Complete();
        }
        using var command = db.CreateCommand();
        command.CommandText = "select name, i, x, xs, bs from t order by rowid";
        using var reader = command.ExecuteReader();
        int n = 0;
        while (reader.Read())
        {
            int r = n++;
            Assert.Equal(r % 2 == 0 ? $"row {r}" : "a longer name than a DuckDB inline string " + r, reader.GetString(0));
            Assert.Equal(r % 5 == 0, reader.IsDBNull(1));
            if (r % 5 != 0) Assert.Equal(r, reader.GetInt32(1));
            Assert.Equal(r % 7 == 0, reader.IsDBNull(2));
            if (r % 7 != 0) Assert.Equal(r * 0.25, reader.GetDouble(2));
            var xs = reader.GetFieldValue<List<double?>>(3);
            Assert.Equal(Enumerable.Range(0, r % 4).Select(k => (r + k) % 3 != 0 ? r + k * 0.5 : (double?)null), xs);
            Assert.Equal([(byte)(r % 256)], reader.GetFieldValue<List<byte>>(4));
        }
        Assert.Equal(rows, n);
    }

    [Fact]
    public void A_value_of_another_type_is_refused_and_rows_not_completed_are_dropped()
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Execute(db, "create table t (i integer, xs double[])");
        using (var writer = new ChunkWriter(db, "t"))
        {
            Assert.Contains("column 1 is Integer, not Double", Assert.Throws<KernelException>(() => writer.Value<double>(0, 1.5)).Message);
            Assert.Contains("holds Double lists, not Integer", Assert.Throws<KernelException>(() => writer.List<int>(1, [1])).Message);
            writer.Value<int>(0, 1);
            writer.EndRow();
        } // disposed without Complete: a kernel that failed leaves no partial chunk
        using var command = db.CreateCommand();
        command.CommandText = "select count(*) from t";
        Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar()));
        Assert.Throws<KernelException>(() => new ChunkWriter(db, "no_such_table"));
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
