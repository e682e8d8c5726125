using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vhw.Zoo.Findings;

namespace Vhw.Zoo.Tests;

/// <summary>
/// Measures every shipped member once for the must-show tests (issues 3 and 4): the default test split regenerated in
/// a temp folder (first <see cref="FindingsSettings.PerBenchmark"/> items per benchmark), then <see cref="ZooFindings"/>.
/// The Markdown table goes to <see cref="TablePath"/> (next to the test binaries) as soon as it is measured.
/// </summary>
public sealed class ShippedZooFindings : IDisposable
{
    public static readonly FindingsSettings Settings = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-zoo-mustshow-").FullName;
    public IReadOnlyList<ZooMember> Members { get; }
    public ZooTestData Data { get; }
    public IReadOnlyList<MemberFindings> Findings { get; }
    public IReadOnlyList<BarCheck> Checks { get; }
    public string Table { get; }
    public TimeSpan Elapsed { get; }
    public static string TablePath => Path.Combine(AppContext.BaseDirectory, "zoo-must-show.md");

    public ShippedZooFindings()
    {
        torch.set_num_threads(1);
        var clock = Stopwatch.StartNew();
        Members = ZooMember.Discover(ZooPaths.Models);
        Data = ZooTestData.Write(Path.Combine(Root, "test"), Settings.PerBenchmark);
        Findings = ZooFindings.Measure(Members, Data, Settings, Path.Combine(Root, "scratch"));
        Checks = MustShowBars.Evaluate(Findings);
        Elapsed = clock.Elapsed;
        var ci = CultureInfo.InvariantCulture;
        Table = $"# Shipped zoo: must-show numbers (issues 3 and 4)\n\nMeasured by tests/Vhw.Zoo.Tests in {Elapsed.TotalSeconds:0} s " +
                $"({string.Join(", ", Findings.Select(f => string.Create(ci, $"{f.Name} {f.Elapsed.TotalSeconds:0} s")))}; " +
                $"{Environment.ProcessorCount} CPUs, torch on one thread).\n\n" + FindingsTable.Markdown(Findings, Settings, Checks);
        File.WriteAllText(TablePath, Table);
    }

    public MemberFindings Of(string name) => Findings.Single(f => f.Name == name);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ShippedZooCollection : ICollectionFixture<ShippedZooFindings>
{
    public const string Name = "shipped zoo";
}
