using TorchSharp;
using Vhw.Zoo.Findings;

namespace Vhw.Zoo.Tests;

/// <summary>
/// Measures every shipped member once for the must-show tests (issues 3 and 4): <see cref="FindingsRun.Measure"/> on
/// zoo/models with the default test split regenerated in a temp folder. The Markdown document goes to
/// <see cref="TablePath"/> (next to the test binaries) as soon as it is measured, before any assertion.
/// </summary>
public sealed class ShippedZooFindings : IDisposable
{
    public static readonly FindingsSettings Settings = new();
    public static string TablePath => Path.Combine(AppContext.BaseDirectory, "zoo-must-show.md");

    readonly string _scratch = Directory.CreateTempSubdirectory("vhw-zoo-mustshow-").FullName;
    public FindingsRun Run { get; }
    public IReadOnlyList<ZooMember> Members => Run.Members;
    public ZooTestData Data => Run.Data;
    public IReadOnlyList<MemberFindings> Findings => Run.Findings;
    public IReadOnlyList<BarCheck> Checks => Run.Checks;
    public string Table => Run.Document;

    public ShippedZooFindings()
    {
        torch.set_num_threads(1);
        Run = FindingsRun.Measure(ZooPaths.Models, Settings, _scratch, "tests/Vhw.Zoo.Tests");
        File.WriteAllText(TablePath, Table);
    }

    public MemberFindings Of(string name) => Findings.Single(f => f.Name == name);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ShippedZooCollection : ICollectionFixture<ShippedZooFindings>
{
    public const string Name = "shipped zoo";
}
