using System.Text.RegularExpressions;

namespace Vhw.Transform;

/// <summary>
/// How a model is built. By layer: staging models are views, intermediate and mart models tables. A model overrides
/// that with one header line:
/// <list type="bullet">
/// <item><c>-- materialized: view</c>: a view (an intermediate model analysts may query, but no mart reads in bulk);</item>
/// <item><c>-- materialized: table partitioned by &lt;column&gt; from &lt;model&gt;</c>: a table built one value of
/// &lt;column&gt; at a time (the distinct non-NULL values in the earlier model &lt;model&gt;): the runner creates the table
/// from <c>select * from (&lt;sql&gt;) where false</c>, then inserts <c>select * from (&lt;sql&gt;) where &lt;column&gt; =
/// '&lt;value&gt;'</c> per value, with the DuckDB variable <c>vhw_partition</c> set to the value (macro in_partition reads
/// it). DuckDB pushes the filter down to the hive partition of the Parquet files, or the model's in_partition filters
/// do, so a per-model pass reads one model's files and holds one model's sorting and list states in memory. Rows whose
/// column value is not in &lt;model&gt; are not built.</item>
/// <item><c>-- materialized: kernel &lt;name&gt; partitioned by &lt;column&gt; from &lt;model&gt;</c>: a table built per
/// value as above by a C# kernel (<see cref="Kernels.ModelKernels"/>) that computes what SQL does badly (a matrix
/// product); the model's file holds the kernel's input selects, one statement each, in the kernel's documented
/// order, and the kernel appends the rows. A kernel that also writes tables of another grain in the same pass
/// (<see cref="Kernels.IModelKernel.OutputColumns"/>) names each in one more header line,
/// <c>-- also materialized: &lt;name&gt;</c>, in the kernel's order; models after it read them by those names.</item>
/// </list>
/// Any model may also give the select that counts its rows, <c>-- counted as: select …</c> (one line), where its sources'
/// metadata gives the count that <c>select count(*)</c> would compute by reading every row (<see cref="CountedAs"/>).
/// </summary>
public sealed partial record ModelMaterialization(string Kind, string? PartitionColumn = null, string? PartitionSource = null,
    string? Kernel = null)
{
    public bool IsPartitioned => PartitionColumn is not null;

    /// <summary>The tables a kernel model's header names with <c>-- also materialized: &lt;name&gt;</c>, in order.</summary>
    public static IReadOnlyList<string> AlsoMaterialized(SqlFile model) =>
        AlsoLine().Matches(model.Sql).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>
    /// The select the header's <c>-- counted as: select …</c> line gives, which the runner runs instead of
    /// <c>select count(*)</c> over the model, or null. The model's file must say why the two agree.
    /// </summary>
    public static string? CountedAs(SqlFile model) => CountedLine().Match(model.Sql) is { Success: true } m ? m.Groups["sql"].Value : null;

    public static ModelMaterialization Of(SqlFile model)
    {
        string layer = model.Layer ?? throw new ArgumentException($"{model.Path} is not a model", nameof(model));
        var directive = Directive().Match(model.Sql);
        if (!directive.Success)
            return new ModelMaterialization(layer == "staging" ? "view" : "table");
        if (layer == "staging")
            throw new TransformException($"model {model.Path}: staging models are always views (no materialized: line)", model.Path);
        if (directive.Groups["kernel"].Success)
            return new ModelMaterialization("table", directive.Groups["column"].Value, directive.Groups["source"].Value, directive.Groups["kernel"].Value);
        return directive.Groups["column"].Success
            ? new ModelMaterialization("table", directive.Groups["column"].Value, directive.Groups["source"].Value)
            : new ModelMaterialization(directive.Groups["kind"].Value);
    }

    /// <summary>A header line that looks like a directive but is not one of the three forms, or names a kernel that does
    /// not exist, fails loudly.</summary>
    internal static void ValidateSyntax(SqlFile model)
    {
        foreach (Match line in Candidate().Matches(model.Sql))
        {
            var directive = Directive().Match(line.Value);
            if (!directive.Success)
                throw new TransformException(
                    $"model {model.Path}: '{line.Value.Trim()}' is not '-- materialized: view', " +
                    "'-- materialized: table partitioned by <column> from <earlier model>' or " +
                    "'-- materialized: kernel <name> partitioned by <column> from <earlier model>'", model.Path);
            if (directive.Groups["kernel"].Success && Kernels.ModelKernels.Find(directive.Groups["kernel"].Value) is null)
                throw new TransformException(
                    $"model {model.Path}: no kernel named {directive.Groups["kernel"].Value} (kernels: {string.Join(", ", Kernels.ModelKernels.Names)})", model.Path);
        }
        foreach (Match line in AlsoCandidate().Matches(model.Sql))
            if (!AlsoLine().IsMatch(line.Value))
                throw new TransformException(
                    $"model {model.Path}: '{line.Value.Trim()}' is not '-- also materialized: <table name>' (a plain SQL identifier)", model.Path);
        var counted = CountedCandidate().Matches(model.Sql);
        if (counted.Count > 1 || counted.Count == 1 && !CountedLine().IsMatch(counted[0].Value))
            throw new TransformException(
                $"model {model.Path}: {(counted.Count > 1 ? "more than one '-- counted as:' line" : $"'{counted[0].Value.Trim()}' is not '-- counted as: select …'")}",
                model.Path);
        var also = AlsoMaterialized(model);
        var kernel = Of(model).Kernel is { } name ? Kernels.ModelKernels.Find(name) : null;
        int expected = kernel is null ? 0 : kernel.OutputColumns.Count - 1;
        if (also.Count != expected)
            throw new TransformException(kernel is null
                ? $"model {model.Path}: only a kernel model writes more tables ('-- also materialized:' without '-- materialized: kernel …')"
                : $"model {model.Path}: kernel {kernel.Name} writes {expected} more table(s), named by as many '-- also materialized: <name>' lines (found {also.Count})",
                model.Path);
    }

    [GeneratedRegex(@"^--\s*materialized:\s*(?:(?<kind>view|table)(?:\s+partitioned\s+by\s+(?<column>[a-z_][a-z0-9_]*)\s+from\s+(?<source>[a-z_][a-z0-9_]*))?|kernel\s+(?<kernel>[a-z_][a-z0-9_]*)\s+partitioned\s+by\s+(?<column>[a-z_][a-z0-9_]*)\s+from\s+(?<source>[a-z_][a-z0-9_]*))[ \t]*\r?$",
        RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^--\s*materialized:.*$", RegexOptions.Multiline)]
    private static partial Regex Candidate();

    [GeneratedRegex(@"^--\s*also\s+materialized:\s*(?<name>[a-z_][a-z0-9_]*)[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex AlsoLine();

    [GeneratedRegex(@"^--\s*also\s+materialized:.*$", RegexOptions.Multiline)]
    private static partial Regex AlsoCandidate();

    [GeneratedRegex(@"^--\s*counted\s+as:\s*(?<sql>select\s.*?)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CountedLine();

    [GeneratedRegex(@"^--\s*counted\s+as:.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CountedCandidate();
}
