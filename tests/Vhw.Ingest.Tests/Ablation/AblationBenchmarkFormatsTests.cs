using Vhw.Cli.Commands;
using Vhw.Ingest.Ablation;
using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.Ablation;

/// <summary>
/// `vhw ablate` opens benchmarks exactly as ingest does: a POPE folder (published format, not questions.jsonl) is
/// found under the same partition name, ranked by that benchmark's head_scores, and its unablated predictions equal
/// the ingested ones.
/// </summary>
public sealed class AblationBenchmarkFormatsTests(IngestedFormats w) : IClassFixture<IngestedFormats>
{
    [Fact]
    public void A_pope_folder_is_ablated_under_its_ingest_partition_and_the_baseline_reproduces_ingest()
    {
        string warehouse = Path.Combine(w.Root, "ablate-pope");
        foreach (string file in Directory.EnumerateFiles(w.Warehouse, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(warehouse, Path.GetRelativePath(w.Warehouse, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        new TransformRunner().Run(warehouse);
        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = w.Assets.ModelDir, ["Benchmarks:0"] = w.Data.Pope, ["Warehouse"] = warehouse,
            ["Select:0"] = "top:1", ["Select:1"] = "list:0.0", ["ChunkSize"] = "5",
        };
        using var host = AblationHost.Build(values, configFile: null, showProgress: false, o => new WarehouseHeadScores(o.Warehouse));
        var (code, outcome) = AblationHost.RunAsync(host).GetAwaiter().GetResult();
        Assert.True(code == 0, $"ablate failed ({code}): {outcome.Failure?.Message}");

        var ingested = Duck.Query(warehouse, "select sample_id, prediction from samples where benchmark = 'pope' order by 1")
            .Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.NotEmpty(ingested);
        var baseline = Duck.Query(warehouse, """
            select sample_id, prediction from ablation_samples where benchmark = 'pope' and mode = 'none' order by 1
            """).Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.Equal(ingested, baseline);

        var top = Duck.Query(warehouse, """
            select heads, n from ablation_results where benchmark = 'pope' and strategy = 'top' and k = 1
            """);
        using var marts = new QueryRunner(warehouse);
        var best = marts.Run("""
            select layer || '.' || head as head from head_scores where benchmark = 'pope' and query_kind = 'answer_step2' order by rank limit 1
            """);
        Assert.Single(top);
        Assert.Equal(Convert.ToString(best.Rows.Single()[0]), (string)top[0][0]!);
        Assert.Equal(ingested.Count, Convert.ToInt32(top[0][1]));
    }
}
