using Vhw.Zoo.Data;
using Vhw.Zoo.Evaluation;

namespace Vhw.Zoo.Findings;

/// <summary>
/// The first <paramref name="PerBenchmark"/> items of each benchmark of the default test split, regenerated and written
/// as benchmark folders under <paramref name="Root"/> (root/{benchmark}), with each benchmark's chance rate
/// (<see cref="ChanceRates"/>, derived from the train split of the same generation).
/// </summary>
public sealed record ZooTestData(string Root, int PerBenchmark, IReadOnlyDictionary<string, double> Chance)
{
    public string Folder(string benchmark) => Path.Combine(Root, benchmark);

    public static IReadOnlyList<string> Benchmarks => ZooDataset.Benchmarks.Select(b => b.Name).ToList();

    public static ZooTestData Write(string root, int perBenchmark, ZooDataSpec? spec = null)
    {
        var data = ZooDataset.Generate(spec ?? new ZooDataSpec());
        foreach (var (name, items) in data.Test) ZooDataset.WriteFolder(Path.Combine(root, name), items.Take(perBenchmark).ToList());
        return new ZooTestData(root, perBenchmark, ChanceRates.Derive(data.Train));
    }
}
