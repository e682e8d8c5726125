using DuckDB.NET.Data;
using Vhw.Transform.Sharing;

namespace Vhw.Transform.Tests;

public sealed class SharingTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Export_writes_every_raw_file_with_rows_checksums_schema_and_a_card()
    {
        string dir = TempFolder.Create("export");
        try
        {
            string outDir = Path.Combine(dir, "dataset");
            var result = DatasetExporter.Export(w.Root, outDir, Ct);
            var manifest = DatasetManifest.Read(outDir);

            string[] rawFiles = new[] { "head_facts", "samples", "runs", "models", "rejects" }
                .SelectMany(t => Directory.EnumerateFiles(Path.Combine(w.Root, t), "*.parquet", SearchOption.AllDirectories)).ToArray();
            Assert.Equal(rawFiles.Length, manifest.Files.Count);
            using var q = new QueryRunner(w.Root);
            foreach (string table in new[] { "head_facts", "samples", "runs", "models", "rejects" })
                Assert.Equal(Convert.ToInt64(q.Run($"select count(*) from {table}", Ct).Rows[0][0]), manifest.Tables[table].Rows);
            foreach (var f in manifest.Files)
            {
                string copy = Path.Combine(outDir, f.Path);
                Assert.Equal(DatasetManifest.Sha256Of(Path.Combine(w.Root, f.Path)), f.Sha256);
                Assert.Equal(f.Sha256, DatasetManifest.Sha256Of(copy));
            }
            Assert.Equal(SqlProject.Embedded.Schema, File.ReadAllText(Path.Combine(outDir, "schema.sql")));
            string card = File.ReadAllText(Path.Combine(outDir, "DATASET.md"));
            foreach (string expected in new[] { "| toy-32l | toy-a | 7b | 32 | 4 |", "| toy-12l | pope | answer_step2, last_prompt | 2 |", "<S>_concentration 1 - H / ln|S|" })
                Assert.Contains(expected, card);
            Assert.Equal(manifest.Documents.Select(d => d.Path), ["schema.sql", "DATASET.md"]);
            Assert.False(File.Exists(Path.Combine(outDir, "warehouse.duckdb")));

            Assert.Throws<IOException>(() => DatasetExporter.Export(w.Root, outDir, Ct)); // never into a non-empty folder
            Assert.Equal(result.Manifest.Files.Count, manifest.Files.Count);
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Fact]
    public void Import_into_an_empty_warehouse_rebuilds_the_same_marts_and_a_second_import_adds_nothing()
    {
        string dir = TempFolder.Create("import");
        try
        {
            string dataset = Path.Combine(dir, "dataset"), target = Path.Combine(dir, "warehouse");
            DatasetExporter.Export(w.Root, dataset, Ct);
            var first = DatasetImporter.Import(dataset, target, Ct);
            Assert.All(first.Files, f => Assert.Equal("copied", f.Action));
            Assert.Equal(w.Facts.Count, first.Files.Where(f => f.Table == "head_facts").Sum(f => f.NewRows));

            new TransformRunner(WarehouseFixture.FewReplicates).Run(target, ct: Ct);
            const string heads = "select model, benchmark, query_kind, layer, head, mean_image_fraction, detection_score, rank from head_scores order by all";
            using (var original = new QueryRunner(w.Root))
            using (var imported = new QueryRunner(target))
                Assert.Equal(original.Run(heads, Ct).Rows, imported.Run(heads, Ct).Rows);

            var second = DatasetImporter.Import(dataset, target, Ct);
            Assert.Equal(0, second.NewRows);
            Assert.All(second.Files, f => Assert.StartsWith("skipped", f.Action));
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Fact]
    public void Import_merges_overlapping_rows_without_duplicating_them()
    {
        string dir = TempFolder.Create("merge");
        try
        {
            string dataset = Path.Combine(dir, "dataset"), target = Path.Combine(dir, "warehouse");
            var manifest = DatasetExporter.Export(w.Root, dataset, Ct).Manifest;
            // the target already holds half of one partition's facts and all of another's, under other file names
            var facts = manifest.Files.Where(f => f.Table == "head_facts").ToList();
            CopyRows(Path.Combine(dataset, facts[0].Path), TargetFile(target, facts[0].Path, "mine-1.parquet"), "sample_id like '%0' or sample_id like '%2'");
            CopyRows(Path.Combine(dataset, facts[1].Path), TargetFile(target, facts[1].Path, "mine-2.parquet"), "true");

            var result = DatasetImporter.Import(dataset, target, Ct);
            Assert.StartsWith("merged", result.Files.Single(f => f.Path == facts[0].Path).Action);
            Assert.Equal("skipped (all rows present)", result.Files.Single(f => f.Path == facts[1].Path).Action);

            using var db = new DuckDBConnection("Data Source=:memory:");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                select count(*), count(distinct (model, benchmark, run_id, sample_id, query_kind, layer, head))
                from read_parquet('{Path.Combine(target, "head_facts")}/*/*/*.parquet', hive_partitioning = true, union_by_name = true)
                """;
            using var reader = cmd.ExecuteReader();
            reader.Read();
            Assert.Equal((long)w.Facts.Count, reader.GetInt64(0));
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Fact]
    public void A_tampered_or_unlisted_file_is_refused_and_nothing_is_written()
    {
        string dir = TempFolder.Create("tamper");
        try
        {
            string dataset = Path.Combine(dir, "dataset"), target = Path.Combine(dir, "warehouse");
            var manifest = DatasetExporter.Export(w.Root, dataset, Ct).Manifest;
            string victim = manifest.Files.First(f => f.Table == "head_facts").Path;
            byte[] bytes = File.ReadAllBytes(Path.Combine(dataset, victim));
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(Path.Combine(dataset, victim), bytes);

            var e = Assert.Throws<DatasetRefusedException>(() => DatasetImporter.Import(dataset, target, Ct));
            Assert.Contains(victim, e.Message);
            Assert.Contains("SHA-256", e.Message);
            Assert.False(Directory.Exists(target) && Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Any());

            File.WriteAllBytes(Path.Combine(dataset, victim), File.ReadAllBytes(Path.Combine(w.Root, victim)));
            File.WriteAllText(Path.Combine(dataset, "head_facts", "extra.parquet"), "x");
            var unlisted = Assert.Throws<DatasetRefusedException>(() => DatasetImporter.Import(dataset, target, Ct));
            Assert.Contains("head_facts/extra.parquet is not in the manifest", unlisted.Message);
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Theory]
    [InlineData("../outside/head_facts/model=a/benchmark=b/x.parquet")]
    [InlineData("head_facts/../../x.parquet")]
    [InlineData("/etc/head_facts.parquet")]
    [InlineData("head_facts\\model=a\\benchmark=b\\x.parquet")]
    [InlineData("head_facts/./model=a/benchmark=b/x.parquet")]
    public void Paths_escaping_the_dataset_or_the_warehouse_are_refused(string evil)
    {
        string dir = TempFolder.Create("escape");
        try
        {
            string dataset = Path.Combine(dir, "dataset"), target = Path.Combine(dir, "warehouse");
            var manifest = DatasetExporter.Export(w.Root, dataset, Ct).Manifest;
            var files = manifest.Files.ToList();
            files[0] = files[0] with { Path = evil };
            File.WriteAllText(Path.Combine(dataset, DatasetManifest.FileName), (manifest with { Files = files }).ToJson());

            var e = Assert.Throws<DatasetRefusedException>(() => DatasetImporter.Import(dataset, target, Ct));
            Assert.Contains(evil, e.Message);
            Assert.False(Directory.Exists(target));
            Assert.False(Directory.Exists(Path.Combine(dir, "outside")));
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Fact]
    public void A_file_whose_columns_contradict_schema_sql_is_refused_even_with_a_matching_checksum()
    {
        string dir = TempFolder.Create("schema");
        try
        {
            string dataset = Path.Combine(dir, "dataset"), target = Path.Combine(dir, "warehouse");
            var manifest = DatasetExporter.Export(w.Root, dataset, Ct).Manifest;
            var files = manifest.Files.ToList();
            int i = files.FindIndex(f => f.Table == "head_facts");
            string path = Path.Combine(dataset, files[i].Path);
            CopyRows(path, path + ".new", "true", "* replace (cast(layer as varchar) as layer)");
            File.Move(path + ".new", path, overwrite: true);
            files[i] = files[i] with { Sha256 = DatasetManifest.Sha256Of(path), Bytes = new FileInfo(path).Length };
            File.WriteAllText(Path.Combine(dataset, DatasetManifest.FileName), (manifest with { Files = files }).ToJson());

            var e = Assert.Throws<DatasetRefusedException>(() => DatasetImporter.Import(dataset, target, Ct));
            Assert.Contains("schema mismatch, column layer is VARCHAR, schema.sql says smallint", e.Message);
        }
        finally
        {
            TempFolder.Delete(dir);
        }
    }

    [Fact]
    public void Raw_schema_reads_tables_partitions_and_columns_from_schema_sql()
    {
        var tables = RawSchema.Parse(SqlProject.Embedded.Schema).ToDictionary(t => t.Name);
        Assert.Equal(["model", "benchmark"], tables["head_facts"].PartitionKeys);
        Assert.Equal(["model"], tables["models"].PartitionKeys);
        Assert.Contains(new RawColumn("image_fraction", "float"), tables["head_facts"].Columns);
        Assert.Contains(new RawColumn("layer", "smallint"), tables["head_facts"].Columns);
        Assert.Contains(new RawColumn("finished_at", "timestamp"), tables["runs"].Columns);
        Assert.Contains(new RawColumn("image_rank", "smallint"), tables["head_facts"].Columns);
        Assert.Contains(new RawColumn("part", "varchar"), tables["head_facts"].Columns);
        Assert.Equal(23, tables["head_facts"].Columns.Count);
        Assert.Equal(["model", "benchmark"], tables["head_summaries"].PartitionKeys);
        Assert.Contains(new RawColumn("part_rows", "bigint"), tables["head_summaries"].Columns);
    }

    private static string TargetFile(string target, string datasetPath, string name)
    {
        string folder = Path.Combine(target, Path.GetDirectoryName(datasetPath)!);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    private static void CopyRows(string from, string to, string where, string select = "*")
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"copy (select {select} from read_parquet('{from}', hive_partitioning = false) where {where}) to '{to}' (format parquet)";
        cmd.ExecuteNonQuery();
    }
}
