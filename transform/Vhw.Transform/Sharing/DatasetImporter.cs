namespace Vhw.Transform.Sharing;

/// <summary>What happened to one file of the dataset: copied as is, merged (only its new rows written), or skipped (all rows present).</summary>
public sealed record ImportedFile(string Path, string Table, string Action, long Rows, long NewRows, string? WrittenAs);

public sealed record ImportResult(string WarehouseRoot, IReadOnlyList<ImportedFile> Files)
{
    public long NewRows => Files.Sum(f => f.NewRows);
}

/// <summary>
/// `vhw import`: validates a dataset folder completely before writing anything — manifest paths (plain, relative,
/// inside the folder and the warehouse), no unlisted files or links, SHA-256 and size of every file and document,
/// row counts, and each file's columns against schema.sql (<see cref="DatasetValidator"/>) — then merges it into a
/// warehouse without duplicating rows: a file already there byte for byte is skipped; otherwise only rows whose key
/// (<see cref="RowKeys"/>, within the partition folder) the warehouse lacks are written, as the same file name when all
/// are new and the name is free, else as &lt;name&gt;.import-&lt;sha&gt;.parquet. Each write goes to .tmp, then is renamed.
/// Run `vhw transform` afterwards to rebuild the marts.
/// </summary>
public static class DatasetImporter
{
    public static ImportResult Import(string datasetDir, string warehouseRoot, CancellationToken ct = default)
    {
        string source = Path.GetFullPath(datasetDir), root = Path.GetFullPath(warehouseRoot);
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"no dataset folder {source}");
        using var probe = new ParquetProbe();
        var manifest = DatasetValidator.Validate(source, root, probe, ct);

        var results = new List<ImportedFile>();
        foreach (var file in manifest.Files)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(Merge(probe, DatasetManifest.Resolve(source, file.Path), file, root, ct));
        }
        return new ImportResult(root, results);
    }

    private static ImportedFile Merge(ParquetProbe probe, string incoming, DatasetFile file, string root, CancellationToken ct)
    {
        string target = DatasetManifest.Resolve(root, file.Path);
        string folder = Path.GetDirectoryName(target)!;
        long rows = file.Rows ?? 0;
        if (File.Exists(target) && DatasetManifest.Sha256Of(target) == file.Sha256)
            return new ImportedFile(file.Path, file.Table!, "skipped (identical file present)", rows, 0, null);

        var existing = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.parquet").Order(StringComparer.Ordinal).ToList()
            : [];
        string newRowsSql = NewRowsSql(probe, incoming, file.Table!, existing, ct);
        long fresh = probe.Scalar($"select count(*) from ({newRowsSql})", ct);
        if (fresh == 0 && (rows > 0 || File.Exists(target)))
            return new ImportedFile(file.Path, file.Table!, "skipped (all rows present)", rows, 0, null);

        Directory.CreateDirectory(folder);
        if (fresh == rows && !File.Exists(target))
        {
            WriteAtomically(target, tmp => File.Copy(incoming, tmp));
            return new ImportedFile(file.Path, file.Table!, "copied", rows, rows, file.Path);
        }
        string name = $"{Path.GetFileNameWithoutExtension(target)}.import-{file.Sha256[..12]}.parquet";
        string merged = Path.Combine(folder, name);
        WriteAtomically(merged, tmp => probe.Execute($"copy ({newRowsSql}) to {ParquetProbe.Literal(tmp)} (format parquet)", ct));
        string written = Path.GetRelativePath(root, merged).Replace(Path.DirectorySeparatorChar, '/');
        return new ImportedFile(file.Path, file.Table!, "merged (new rows only)", rows, fresh, written);
    }

    // The incoming rows whose key no existing file of the partition folder holds (NULL keys compare equal).
    private static string NewRowsSql(ParquetProbe probe, string incoming, string table, IReadOnlyList<string> existing, CancellationToken ct)
    {
        string source = $"read_parquet({ParquetProbe.Literal(incoming)}, hive_partitioning = false)";
        if (existing.Count == 0) return $"select * from {source}";
        var columns = probe.Columns(incoming, ct).Select(c => c.Name).ToList();
        var present = existing.SelectMany(f => probe.Columns(f, ct).Select(c => c.Name)).ToHashSet();
        var key = RowKeys.For(table, columns);
        string match = string.Join(" and ", key.Select(k => present.Contains(k)
            ? $"e.{ParquetProbe.Ident(k)} is not distinct from i.{ParquetProbe.Ident(k)}"
            : $"i.{ParquetProbe.Ident(k)} is null"));
        return $"""
            select i.* from {source} as i
            where not exists (
                select 1 from read_parquet({ParquetProbe.ListLiteral(existing)}, hive_partitioning = false, union_by_name = true) as e
                where {match})
            """;
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        string tmp = path + ".tmp";
        try
        {
            if (File.Exists(tmp)) File.Delete(tmp);
            write(tmp);
            File.Move(tmp, path);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
