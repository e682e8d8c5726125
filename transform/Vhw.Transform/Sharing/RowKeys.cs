namespace Vhw.Transform.Sharing;

/// <summary>
/// What makes two rows of a raw table the same row when an import merges a dataset into a warehouse (within one
/// partition folder, whose key=value segments are part of the identity). A table that adds itself to schema.sql
/// should add its key here; without one, a row is identified by all of its columns.
/// </summary>
public static class RowKeys
{
    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["head_facts"] = ["run_id", "sample_id", "query_kind", "layer", "head"],
        ["samples"] = ["run_id", "sample_id", "query_kind"],
        ["runs"] = ["run_id", "shard_index"],
        ["models"] = ["weights_sha256"],
        ["rejects"] = ["run_id", "source_file", "line", "sample_id", "field"],
        ["benchmark_scores"] = ["run_id", "subset_kind", "subset", "metric"],
        ["ablation_samples"] = ["eval_id", "sample_id"],
        ["ablation_results"] = ["result_id"],
    };

    /// <summary>The key columns of <paramref name="table"/> that a file holds (runs before sharding have no shard_index),
    /// or all of <paramref name="fileColumns"/> when the table has no key.</summary>
    public static IReadOnlyList<string> For(string table, IReadOnlyList<string> fileColumns) =>
        Keys.TryGetValue(table, out var key) && key.Any(fileColumns.Contains)
            ? key.Where(fileColumns.Contains).ToList()
            : fileColumns;

    /// <summary>The key columns a file of <paramref name="table"/> must hold (the first key column, the run or evaluation id).</summary>
    public static string? Required(string table) => Keys.TryGetValue(table, out var key) ? key[0] : null;
}
