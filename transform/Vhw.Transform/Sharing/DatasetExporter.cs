namespace Vhw.Transform.Sharing;

/// <summary>What an export wrote.</summary>
public sealed record ExportResult(string Directory, DatasetManifest Manifest);

/// <summary>
/// `vhw export`: copies the raw Parquet of a warehouse (every table schema.sql declares, hive layout kept) into a new
/// dataset folder with schema.sql, DATASET.md (a dataset card) and manifest.json (row count and SHA-256 per file).
/// The folder is assembled under a temporary name and renamed at the end, so a failed export leaves nothing that
/// looks complete. warehouse.duckdb and ingest's _manifests/ bookkeeping are not part of a dataset.
/// </summary>
public static class DatasetExporter
{
    public static ExportResult Export(string warehouseRoot, string outDir, CancellationToken ct = default)
    {
        string root = Path.GetFullPath(warehouseRoot), target = Path.GetFullPath(outDir);
        RawTables.EnsurePresent(root);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
            throw new IOException($"{target} already exists and is not empty: export into a new folder");
        string staging = $"{target}.partial-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            string schema = SqlProject.Embedded.Schema;
            var files = new List<DatasetFile>();
            using var probe = new ParquetProbe();
            foreach (var table in RawSchema.Parse(schema))
            {
                string folder = Path.Combine(root, table.Name);
                if (!Directory.Exists(folder)) continue;
                foreach (string file in Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    ct.ThrowIfCancellationRequested();
                    string relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                    if (relative.Split('/').Length != table.PartitionKeys.Count + 2) continue; // not in the table's hive layout
                    string copy = DatasetManifest.Resolve(staging, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.Copy(file, copy);
                    files.Add(new DatasetFile(relative, table.Name, probe.Count(copy, ct), new FileInfo(copy).Length, DatasetManifest.Sha256Of(copy)));
                }
            }
            files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

            File.WriteAllText(Path.Combine(staging, DatasetManifest.SchemaFileName), schema);
            File.WriteAllText(Path.Combine(staging, DatasetManifest.CardFileName), DatasetCard.Render(staging, schema, files, probe, ct));
            var documents = new[] { DatasetManifest.SchemaFileName, DatasetManifest.CardFileName }
                .Select(d => Path.Combine(staging, d))
                .Select(p => new DatasetFile(Path.GetFileName(p), null, null, new FileInfo(p).Length, DatasetManifest.Sha256Of(p)))
                .ToList();
            var tables = files.GroupBy(f => f.Table!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new DatasetTable(g.Count(), g.Sum(f => f.Rows ?? 0)));
            var manifest = new DatasetManifest(DatasetManifest.FormatName, DatasetManifest.CurrentVersion, tables, files, documents);
            File.WriteAllText(Path.Combine(staging, DatasetManifest.FileName), manifest.ToJson());

            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            return new ExportResult(target, manifest);
        }
        catch
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { }
            throw;
        }
    }
}
