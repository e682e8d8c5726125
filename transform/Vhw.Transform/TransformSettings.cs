using System.Globalization;

namespace Vhw.Transform;

/// <summary>
/// How <see cref="TransformRunner"/> runs DuckDB. The defaults suit a shared 2-core, 24 GiB machine: every core, and a
/// memory limit of 2 GB (on a 250M-fact synthetic warehouse the process peaks at 2.7–2.8 GiB RSS with 20 bootstrap
/// replicates and 3.1 GiB with the default 1000; with 3 GB it peaked at 4.0 GiB at 1000 replicates and was no faster at
/// either count; BENCHMARKS.md). DuckDB spills
/// sorts and aggregates to <c>&lt;warehouse.duckdb&gt;.tmp/</c> beyond it. The C# kernel of the percentiles and the
/// bootstrap (Kernels/HeadReductionsKernel) holds one model's latest facts as dense matrices outside that limit (about
/// 9 bytes per fact and metric: 280 MB for a 32 × 32-head model with 5 runs of 3 000 samples), one model at a time,
/// see <see cref="ModelMaterialization"/>.
/// </summary>
public sealed record TransformSettings
{
    public static TransformSettings Default { get; } = new();

    /// <summary>DuckDB <c>threads</c>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>DuckDB <c>memory_limit</c> (a DuckDB size: "2GB", "512MB").</summary>
    public string MemoryLimit { get; init; } = "2GB";

    /// <summary>
    /// Bootstrap replicates of weight_concentration_corr; null keeps macros/bootstrap.sql's default (1000). Its cost
    /// grows with replicates × heads × samples per run (the replicate sums) plus replicates × heads per run (every head's
    /// mean and rank in every replicate, stored and correlated): lower it for a quick look (the mart records the count it used).
    /// </summary>
    public int? BootstrapReplicates { get; init; }

    /// <summary>The statements the runner executes after opening the database.</summary>
    internal IEnumerable<string> PragmaStatements()
    {
        if (Threads < 1) throw new ArgumentException($"threads must be at least 1 (got {Threads})");
        yield return string.Create(CultureInfo.InvariantCulture, $"set threads = {Threads}");
        yield return $"set memory_limit = '{MemoryLimit.Replace("'", "''", StringComparison.Ordinal)}'";
        // Parquet footers read once per file, not once per statement: head_facts reads its parts with union_by_name, so
        // every statement that binds it opens every part (at 50M facts, 800 parts: 0.32 s per bind without the cache,
        // 0.17 s with it), and the partitioned models bind it once per model. DuckDB checks a file's modification time
        // before it reuses the cached footer.
        yield return "set parquet_metadata_cache = true";
    }

    /// <summary>Macro redefinitions run after macros/*.sql.</summary>
    internal IEnumerable<string> MacroOverrides()
    {
        if (BootstrapReplicates is { } r)
        {
            if (r < 1) throw new ArgumentException($"bootstrap replicates must be at least 1 (got {r})");
            yield return string.Create(CultureInfo.InvariantCulture, $"create or replace macro bootstrap_replicates() as {r}");
        }
    }
}
