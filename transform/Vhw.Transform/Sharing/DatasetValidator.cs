using System.Text.RegularExpressions;

namespace Vhw.Transform.Sharing;

/// <summary>
/// Everything an import checks before it writes: the manifest, its paths, that the folder holds exactly the listed files
/// (no links), every checksum and size, row counts, the hive layout of each file, and its columns against schema.sql.
/// Any failure throws <see cref="DatasetRefusedException"/> naming the file.
/// </summary>
public static partial class DatasetValidator
{
    public static DatasetManifest Validate(string source, string warehouseRoot, CancellationToken ct = default)
    {
        using var probe = new ParquetProbe();
        return Validate(source, warehouseRoot, probe, ct);
    }

    internal static DatasetManifest Validate(string source, string warehouseRoot, ParquetProbe probe, CancellationToken ct)
    {
        var manifest = DatasetManifest.Read(source);
        var tables = RawSchema.Parse(SqlProject.Embedded.Schema).ToDictionary(t => t.Name);
        var listed = new HashSet<string>(StringComparer.Ordinal) { DatasetManifest.FileName };

        foreach (var entry in manifest.Documents.Concat(manifest.Files))
        {
            string path = DatasetManifest.Resolve(source, entry.Path);
            DatasetManifest.Resolve(warehouseRoot, entry.Path);
            if (!listed.Add(entry.Path)) throw new DatasetRefusedException($"{entry.Path} is listed twice in the manifest");
            CheckFile(path, entry);
        }
        foreach (string required in new[] { DatasetManifest.SchemaFileName, DatasetManifest.CardFileName })
            if (!manifest.Documents.Any(d => d.Path == required)) throw new DatasetRefusedException($"the manifest lists no {required}");

        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) throw new DatasetRefusedException($"{entry.FullName} is a link; a dataset holds plain files only");
            string relative = Path.GetRelativePath(source, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry is FileInfo && !listed.Contains(relative)) throw new DatasetRefusedException($"{relative} is not in the manifest");
        }

        foreach (var file in manifest.Files)
        {
            ct.ThrowIfCancellationRequested();
            CheckParquet(probe, DatasetManifest.Resolve(source, file.Path), file, tables, ct);
        }
        return manifest;
    }

    private static void CheckFile(string path, DatasetFile entry)
    {
        if (!File.Exists(path)) throw new DatasetRefusedException($"{entry.Path} is listed in the manifest but missing");
        if (new FileInfo(path).Length != entry.Bytes || DatasetManifest.Sha256Of(path) != entry.Sha256)
            throw new DatasetRefusedException($"{entry.Path} does not match its SHA-256 in the manifest: the file was changed or damaged");
    }

    private static void CheckParquet(ParquetProbe probe, string path, DatasetFile file, IReadOnlyDictionary<string, RawTable> tables, CancellationToken ct)
    {
        string[] segments = file.Path.Split('/');
        if (file.Table is null || segments[0] != file.Table || !tables.TryGetValue(file.Table, out var table))
            throw new DatasetRefusedException($"{file.Path}: table '{file.Table}' is not a raw table of this warehouse's schema.sql");
        if (!file.Path.EndsWith(".parquet", StringComparison.Ordinal) || segments.Length != table.PartitionKeys.Count + 2)
            throw new DatasetRefusedException($"{file.Path}: expected {table.Name}/{string.Join("/", table.PartitionKeys.Select(k => k + "=…"))}/<file>.parquet");
        for (int i = 0; i < table.PartitionKeys.Count; i++)
        {
            string segment = segments[i + 1];
            if (!segment.StartsWith(table.PartitionKeys[i] + "=", StringComparison.Ordinal) || !PartitionValue().IsMatch(segment[(table.PartitionKeys[i].Length + 1)..]))
                throw new DatasetRefusedException($"{file.Path}: folder '{segment}' is not {table.PartitionKeys[i]}=<name>");
        }

        IReadOnlyList<(string Name, string Type)> columns;
        long rows;
        try
        {
            columns = probe.Columns(path, ct);
            rows = probe.Count(path, ct);
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new DatasetRefusedException($"{file.Path} is not readable Parquet: {e.Message}");
        }
        if (rows != file.Rows) throw new DatasetRefusedException($"{file.Path} holds {rows} rows, the manifest says {file.Rows}");
        if (RowKeys.Required(table.Name) is { } key && !columns.Any(c => c.Name == key))
            throw new DatasetRefusedException($"{file.Path}: schema mismatch, no column {key} (schema.sql, table {table.Name})");
        foreach (var (name, type) in columns)
        {
            if (table.PartitionKeys.Contains(name))
                throw new DatasetRefusedException($"{file.Path}: column {name} belongs in the folder name, not in the file");
            var promised = table.Columns.FirstOrDefault(c => c.Name == name);
            if (promised is not null && !RawSchema.Compatible(promised.Type, type))
                throw new DatasetRefusedException($"{file.Path}: schema mismatch, column {name} is {type}, schema.sql says {promised.Type}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex PartitionValue();
}
