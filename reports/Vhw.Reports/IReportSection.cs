using Vhw.Transform;

namespace Vhw.Reports;

/// <summary>
/// One section of the report: a heading, text, tables and figures read from the marts. Sections are found by
/// reflection (every public non-abstract class of this assembly implementing it, with a parameterless
/// constructor) and rendered by <see cref="Order"/>, so a new section is one new file in Sections/.
/// A section with nothing to show (e.g. no ablation results yet) returns no blocks.
/// </summary>
public interface IReportSection
{
    /// <summary>Position in the report (ascending; ties by class name). Taken: 0 intro, 10–70 analytics; ablations ~80.</summary>
    int Order { get; }

    IEnumerable<ReportBlock> Build(ReportContext context);
}

/// <summary>What a section reads from: the warehouse (marts and queries/ only) and a cancellation token.</summary>
public sealed record ReportContext(QueryRunner Query, CancellationToken Ct)
{
    /// <summary>True when the warehouse has a table or view of that name (optional marts of other features).</summary>
    public bool HasRelation(string name) =>
        Query.Run($"select count(*) from duckdb_tables() where table_name = '{name.Replace("'", "''")}' " +
                  $"union all select count(*) from duckdb_views() where view_name = '{name.Replace("'", "''")}'", Ct)
            .Rows.Sum(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)) > 0;
}

/// <summary>The report's sections, discovered once.</summary>
public static class ReportSections
{
    private static readonly Lazy<IReadOnlyList<IReportSection>> All = new(() =>
        typeof(IReportSection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IReportSection).IsAssignableFrom(t)
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IReportSection)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Order).ThenBy(s => s.GetType().Name, StringComparer.Ordinal)
            .ToList());

    public static IReadOnlyList<IReportSection> Discovered => All.Value;
}
