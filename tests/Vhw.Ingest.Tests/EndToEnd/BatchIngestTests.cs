using System.Globalization;
using Vhw.Ingest.Default;
using Vhw.Ingest.Worker;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>
/// `--batch-size 4` writes the facts batch size 1 writes: the same rows, the same predictions, metrics within 1e-5, and
/// the same run id (batch size is a speed setting, so a run may be resumed with another one). Chunks of 5 over 12 samples
/// make ragged batches (4 + 1, 4 + 1, 2), so the single-sample path inside a batched run is exercised too.
/// </summary>
public sealed class BatchIngestTests : IDisposable
{
    private const int Samples = 12, ChunkSize = 5;
    private const double Tolerance = 1e-5;
    private readonly string _root = Directory.CreateTempSubdirectory("vhw-batch-").FullName;

    [Fact]
    public void Batched_ingest_writes_the_facts_of_batch_size_one()
    {
        var assets = DefaultAssets.Create(Path.Combine(_root, "default"), seed: 5, samples: Samples);
        string one = Ingest(assets, "b1", batchSize: 1), four = Ingest(assets, "b4", batchSize: 4);

        Assert.True(Duck.Scalar(one, "select count(distinct n_prompt_tokens) from samples") > 1, "equal prompt lengths leave nothing to pad");
        Assert.Equal(Duck.Query(one, "select run_id from runs"), Duck.Query(four, "select run_id from runs"));
        const string predictions = "select sample_id, prediction, first_token_id, n_generated_tokens, n_keys, image_start, n_region_tokens from samples order by sample_id";
        Assert.Equal(Duck.Query(one, predictions), Duck.Query(four, predictions));

        const string facts = """
            select sample_id, layer, head, n_keys, n_image_tokens, n_region_tokens, n_text_tokens,
                image_fraction, image_concentration, image_top1_share, region_fraction, region_concentration, region_top1_share,
                text_concentration, text_top1_share
            from head_facts order by sample_id, layer, head
            """;
        var a = Duck.Query(one, facts);
        var b = Duck.Query(four, facts);
        Assert.Equal(Samples * 16, a.Count);
        Assert.Equal(a.Count, b.Count);
        Assert.Contains(a, r => r[10] is not null);                       // some samples have a box: region metrics compared too
        double worst = 0;
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i][..7], b[i][..7]);                             // keys and token counts exactly
            for (int c = 7; c < a[i].Length; c++)
            {
                Assert.Equal(a[i][c] is null, b[i][c] is null);
                if (a[i][c] is null) continue;
                worst = Math.Max(worst, Math.Abs(Convert.ToDouble(a[i][c], CultureInfo.InvariantCulture) - Convert.ToDouble(b[i][c], CultureInfo.InvariantCulture)));
            }
        }
        Assert.True(worst <= Tolerance, $"max |batch 4 − batch 1| over every metric = {worst}");
    }

    private string Ingest(DefaultAssets.Paths assets, string name, int batchSize)
    {
        string warehouse = Path.Combine(_root, name);
        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = assets.ModelDir,
            ["Benchmarks:0"] = assets.BenchmarkDir,
            ["Warehouse"] = warehouse,
            ["ChunkSize"] = ChunkSize.ToString(CultureInfo.InvariantCulture),
            ["BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        };
        using var host = IngestHost.Build(values, configFile: null, showProgress: false);
        var (code, outcome) = IngestHost.RunAsync(host).GetAwaiter().GetResult();
        Assert.True(code == 0, $"batch {batchSize}: exit code {code}: {outcome.Failure?.Message}");
        Assert.Equal(Samples, Assert.Single(outcome.Jobs).Samples);
        return warehouse;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
