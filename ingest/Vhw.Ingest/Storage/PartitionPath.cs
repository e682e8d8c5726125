using System.Text.RegularExpressions;

namespace Vhw.Ingest.Storage;

/// <summary>Hive-partitioned layout of the warehouse (schema.sql): &lt;root&gt;/&lt;table&gt;/model=M[/benchmark=B]/part-*.parquet.</summary>
public static partial class PartitionPath
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex NamePattern();

    /// <summary>Model and benchmark names become folder names and SQL values: keep them plain.</summary>
    public static string ValidateName(string name, string what)
    {
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"{what} name '{name}' is not usable as a partition value (letters, digits, '.', '_', '-'; at most 128 characters)");
        return name;
    }

    public static string Dir(string root, string table, string model, string? benchmark = null)
    {
        string dir = Path.Combine(root, table, "model=" + ValidateName(model, "model"));
        return benchmark is null ? dir : Path.Combine(dir, "benchmark=" + ValidateName(benchmark, "benchmark"));
    }
}
