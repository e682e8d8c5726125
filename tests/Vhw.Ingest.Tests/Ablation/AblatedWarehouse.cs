using System.Globalization;
using System.Text.Json.Nodes;
using Vhw.Cli.Commands;
using Vhw.Ingest.Ablation;
using Vhw.Ingest.Default;
using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Ingest.Worker;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.Ablation;

/// <summary>
/// The embedded default (12 samples) ingested and transformed (head_scores), then one `vhw ablate` sweep at 10 % of the
/// 16 heads (k = 2: baseline, top, 20 random draws, each stage, all 4 late heads) over an "agreement" copy of the
/// benchmark whose answers are the unablated model's own predictions. The untrained model scores 0 on the real
/// answers, so accuracy could not move; against its own answers the baseline scores (nearly) 1 and every changed
/// prediction counts as an error: accuracy = agreement with the unablated model. That exercises the mechanics (deltas, percentile,
/// paired test); it says nothing about visual understanding.
/// </summary>
public sealed class AblatedWarehouse : IDisposable
{
    public const int Samples = 12, ChunkSize = 8, MaxNewTokens = 2, Draws = 20;
    public const string Agreement = "synthetic-pope-agreement";
    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-ablate-").FullName;
    public DefaultAssets.Paths Assets { get; }
    public string Warehouse => Path.Combine(Root, "warehouse");
    public string AgreementDir => Path.Combine(Root, Agreement);
    public AblationOutcome FirstSweep { get; }

    public AblatedWarehouse()
    {
        Assets = DefaultAssets.Create(Path.Combine(Root, "default"), seed: 99, samples: Samples);
        var ingest = new Dictionary<string, string?>
        {
            ["Models:0"] = Assets.ModelDir, ["Benchmarks:0"] = Assets.BenchmarkDir, ["Warehouse"] = Warehouse,
            ["ChunkSize"] = ChunkSize.ToString(CultureInfo.InvariantCulture), ["MaxNewTokens"] = MaxNewTokens.ToString(CultureInfo.InvariantCulture),
        };
        using (var host = IngestHost.Build(ingest, configFile: null, showProgress: false))
        {
            var (code, outcome) = IngestHost.RunAsync(host).GetAwaiter().GetResult();
            if (code != 0) throw new InvalidOperationException($"fixture ingest failed ({code}): {outcome.Failure?.Message}");
        }
        new TransformRunner().Run(Warehouse);
        WriteAgreementBenchmark();
        (int sweepCode, FirstSweep) = Sweep(Warehouse);
        if (sweepCode != 0) throw new InvalidOperationException($"fixture sweep failed ({sweepCode}): {FirstSweep.Failure?.Message}");
        new TransformRunner().Run(Warehouse);
    }

    /// <summary>The fixture's sweep (same settings every time) into <paramref name="warehouse"/>.</summary>
    public (int ExitCode, AblationOutcome Outcome) Sweep(string warehouse, CancellationToken ct = default, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["Models:0"] = Assets.ModelDir, ["Benchmarks:0"] = AgreementDir, ["Warehouse"] = warehouse,
            ["Percents:0"] = "10", ["LateCounts:0"] = "4", ["Draws"] = Draws.ToString(CultureInfo.InvariantCulture),
            ["ScoreBenchmark"] = DefaultAssets.BenchmarkName, ["ChunkSize"] = ChunkSize.ToString(CultureInfo.InvariantCulture),
            ["MaxNewTokens"] = MaxNewTokens.ToString(CultureInfo.InvariantCulture),
        };
        using var host = AblationHost.Build(values, configFile: null, showProgress: false, o => new WarehouseHeadScores(o.Warehouse));
        return AblationHost.RunAsync(host, ct).GetAwaiter().GetResult();
    }

    /// <summary>A copy of the default benchmark whose answers are the ingested (unablated) predictions.</summary>
    private void WriteAgreementBenchmark()
    {
        var predictions = Duck.Query(Warehouse, "select sample_id, prediction from samples")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Directory.CreateDirectory(AgreementDir);
        foreach (string dir in Directory.EnumerateDirectories(Assets.BenchmarkDir, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(AgreementDir, Path.GetRelativePath(Assets.BenchmarkDir, dir)));
        foreach (string file in Directory.EnumerateFiles(Assets.BenchmarkDir, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(AgreementDir, Path.GetRelativePath(Assets.BenchmarkDir, file)));
        string questions = Path.Combine(AgreementDir, "questions.jsonl");
        File.WriteAllLines(questions, File.ReadAllLines(questions).Where(l => l.Trim().Length > 0).Select(line =>
        {
            var o = JsonNode.Parse(line)!.AsObject();
            o["answer"] = predictions[(string)o["id"]!];
            return o.ToJsonString();
        }));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
