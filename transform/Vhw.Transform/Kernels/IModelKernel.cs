using DuckDB.NET.Data;

namespace Vhw.Transform.Kernels;

/// <summary>
/// The numeric core of a model that SQL does badly (ModelMaterialization: <c>-- materialized: kernel &lt;name&gt;
/// partitioned by &lt;column&gt; from &lt;model&gt;</c>). The model's .sql file still holds all its SQL: the selects
/// that feed the kernel, in the order the kernel documents; the kernel only computes on their rows and appends its
/// output rows. It runs once per partition value, inside the transform's transaction.
/// </summary>
public interface IModelKernel
{
    /// <summary>The name a model's materialized: line uses.</summary>
    string Name { get; }

    /// <summary>How many select statements the model file holds (the kernel's inputs).</summary>
    int Inputs { get; }

    /// <summary>
    /// The columns of each table the kernel writes, as DDL (<c>name type, …</c>), the first column of each the partition
    /// column. Table 1 is the model's own; a kernel with more tables writes each of the others to the table its model's
    /// header names with a line <c>-- also materialized: &lt;name&gt;</c>, in order (<see cref="ModelMaterialization"/>):
    /// results of another grain computed in the same pass.
    /// </summary>
    IReadOnlyList<string> OutputColumns { get; }

    /// <summary>
    /// Reads the partition's rows of every input (<paramref name="inputs"/>: the model's selects, each restricted by the
    /// runner to the rows whose partition column is <paramref name="partitionValue"/>, that column dropped) and appends
    /// its rows to <paramref name="outputs"/> (one writer per table of <see cref="OutputColumns"/>), each row starting
    /// with <paramref name="partitionValue"/>. It adds the time of its phases to <paramref name="phases"/> (the runner
    /// reports their totals over the partitions).
    /// </summary>
    void Build(DuckDBConnection connection, IReadOnlyList<string> inputs, string partitionValue, IReadOnlyList<ChunkWriter> outputs,
        int threads, KernelPhases phases, CancellationToken ct);
}

/// <summary>The kernels models may name.</summary>
public static class ModelKernels
{
    private static readonly Dictionary<string, IModelKernel> ByName =
        new IModelKernel[] { new HeadReductionsKernel() }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static IModelKernel? Find(string name) => ByName.GetValueOrDefault(name);
}
