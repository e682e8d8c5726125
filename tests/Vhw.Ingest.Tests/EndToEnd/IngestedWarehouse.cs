using Vhw.Ingest.Default;
using Vhw.Ingest.Worker;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>
/// The embedded default (24 samples), ingested through the real hosted worker in chunks of 8,
/// then transformed into warehouse.duckdb. Shared by the end-to-end tests.
/// </summary>
public sealed class IngestedWarehouse : IDisposable
{
    public const int Samples = 24, ChunkSize = 8;
    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-e2e-").FullName;
    public DefaultAssets.Paths Assets { get; }
    public string Warehouse => Path.Combine(Root, "warehouse");
    public IngestOutcome FirstRun { get; }

    public IngestedWarehouse()
    {
        Assets = DefaultAssets.Create(Path.Combine(Root, "default"), seed: 99, samples: Samples);
        (int code, FirstRun) = Ingest(Warehouse, Assets.BenchmarkDir);
        if (code != 0) throw new InvalidOperationException($"fixture ingest failed with exit code {code}: {FirstRun.Failure?.Message}");
        new TransformRunner().Run(Warehouse);
    }

    public (int ExitCode, IngestOutcome Outcome) Ingest(string warehouse, string benchmarkDir, string? modelDir = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = modelDir ?? Assets.ModelDir,
            ["Benchmarks:0"] = benchmarkDir,
            ["Warehouse"] = warehouse,
            ["ChunkSize"] = ChunkSize.ToString(),
        };
        using var host = IngestHost.Build(values, configFile: null, showProgress: false);
        return IngestHost.RunAsync(host).GetAwaiter().GetResult();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
