using System.Globalization;

[assembly: AssemblyFixture(typeof(Vhw.Transform.Tests.WarehouseFixture))]

namespace Vhw.Transform.Tests;

/// <summary>One synthetic warehouse, transformed once, shared by the tests (they only read it).</summary>
public sealed class WarehouseFixture : IDisposable
{
    public WarehouseFixture()
    {
        Root = TempFolder.Create("warehouse");
        SyntheticWarehouse.Create(Root);
        var progress = new ListProgress();
        Result = new TransformRunner(progress: progress).Run(Root);
        ProgressLines = progress.Lines;

        (Facts, Runs, Samples, Shapes) = RawRows.Read(Root);
    }

    public string Root { get; }
    public TransformResult Result { get; }
    public IReadOnlyList<string> ProgressLines { get; }
    public IReadOnlyList<FactRow> Facts { get; }
    public IReadOnlyList<RunRow> Runs { get; }
    public IReadOnlyList<SampleRow> Samples { get; }
    public IReadOnlyDictionary<string, (int Layers, int Heads)> Shapes { get; }

    public void Dispose() => TempFolder.Delete(Root);

    /// <summary>The embedded SQL with 20 bootstrap replicates: for tests that only need a transform to run, not its intervals.</summary>
    public static SqlProject FewReplicates { get; } = SqlProject.Embedded.WithFile("macros/bootstrap.sql",
        SqlProject.Embedded.Macros.Single(m => m.Path == "macros/bootstrap.sql").Sql
            .Replace("bootstrap_replicates() as 1000", "bootstrap_replicates() as 20", StringComparison.Ordinal));

    internal static string Str(QueryResult q, object?[] row, string column) => (string)row[q.IndexOf(column)]!;
    internal static int Int(QueryResult q, object?[] row, string column) => Convert.ToInt32(row[q.IndexOf(column)], CultureInfo.InvariantCulture);
    internal static double? Dbl(QueryResult q, object?[] row, string column) =>
        row[q.IndexOf(column)] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
}

/// <summary>Collects progress lines (reported from any thread).</summary>
internal sealed class ListProgress : IProgress<string>
{
    public List<string> Lines { get; } = [];
    public void Report(string value) { lock (Lines) Lines.Add(value); }
}

/// <summary>Temp folders under the system temp dir, removed after the tests.</summary>
public static class TempFolder
{
    public static string Create(string purpose)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vhw-transform-tests-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
