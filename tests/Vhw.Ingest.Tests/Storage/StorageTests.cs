using DuckDB.NET.Data;
using Vhw.Ingest.Storage;
using Vhw.Ingest.Storage.Rows;

namespace Vhw.Ingest.Tests.Storage;

public sealed class StorageTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("vhw-storage-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Part_files_are_renamed_into_place_and_duckdb_reads_them_through_schema_sql()
    {
        string dir = PartitionPath.Dir(_root, "head_facts", "m1", "b1");
        var rows = Enumerable.Range(0, 6).Select(i => new HeadFactRow
        {
            RunId = "r", SampleId = $"s{i / 3}", QueryKind = "answer_step2", Layer = (short)(i % 3), Head = 0, NKeys = 10,
            NImageTokens = 4, NTextTokens = 6, ImageFraction = 0.1f * i, ImageConcentration = i == 0 ? null : 0.5f,
        }).ToList();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "part-old.parquet.tmp"), "half-written");
        Assert.Equal(1, PartWriter.RemoveTemps(dir));

        string path = await PartWriter.WriteAsync(dir, "part-r-00000.parquet", rows, CancellationToken.None);
        Assert.True(File.Exists(path));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SET file_search_path = '{_root}';";
        cmd.ExecuteNonQuery();
        cmd.CommandText = "create or replace view head_facts as select * from read_parquet('head_facts/*/*/*.parquet', hive_partitioning = true, hive_types = {'model': varchar, 'benchmark': varchar});" +
                          "select model, benchmark, count(*), sum(image_fraction), count(image_concentration), min(layer) from head_facts group by all";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal("m1", r.GetString(0));
        Assert.Equal("b1", r.GetString(1));
        Assert.Equal(6L, r.GetInt64(2));
        Assert.Equal(rows.Sum(x => (double)x.ImageFraction), r.GetDouble(3), 5);
        Assert.Equal(5L, r.GetInt64(4));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("x=y")]
    [InlineData("")]
    public void Partition_values_that_would_break_the_layout_are_refused(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => PartitionPath.Dir(_root, "samples", name, "b"));
        Assert.Contains("model name", e.Message);
    }

    [Fact]
    public void Manifest_survives_reopen_and_drops_a_torn_last_line()
    {
        var m = RunManifest.Open(_root, "m", "b", "run1");
        m.MarkDone(new RunManifest.ChunkEntry(0, 5, 1, 80, new[] { "a" }));
        m.MarkDone(new RunManifest.ChunkEntry(1, 5, 0, 80, new[] { "b" }));
        File.AppendAllText(m.Path, "{\"Chunk\":2,\"Samp");   // crash mid-append

        var again = RunManifest.Open(_root, "m", "b", "run1");
        Assert.True(again.IsDone(0) && again.IsDone(1));
        Assert.False(again.IsDone(2));
        again.MarkDone(new RunManifest.ChunkEntry(2, 5, 0, 80, new[] { "c" }));
        Assert.Equal(3, RunManifest.Open(_root, "m", "b", "run1").Completed.Count);
    }
}
