using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Storage;

namespace Vhw.Ingest.Tests.EndToEnd;

public sealed class IngestEndToEndTests(IngestedWarehouse w) : IClassFixture<IngestedWarehouse>
{
    [Fact]
    public void Head_facts_hold_one_row_per_sample_layer_and_head_with_unique_keys()
    {
        var job = Assert.Single(w.FirstRun.Jobs);
        Assert.True(job.Complete);
        Assert.Equal(IngestedWarehouse.Samples, job.Samples);
        Assert.Equal(3, job.ChunksWritten);

        long samples = Duck.Scalar(w.Warehouse, "select count(*) from samples");
        long layers = Duck.Scalar(w.Warehouse, "select n_layers from models");
        long heads = Duck.Scalar(w.Warehouse, "select n_heads from models");
        Assert.Equal(IngestedWarehouse.Samples, samples);
        Assert.Equal(samples * layers * heads, Duck.Scalar(w.Warehouse, "select count(*) from head_facts"));
        Assert.Equal(0, Duck.Scalar(w.Warehouse,
            "select count(*) from (select run_id, model, benchmark, sample_id, query_kind, layer, head from head_facts group by all having count(*) > 1)"));
        // every row's masses partition the attention row
        Assert.Equal(0, Duck.Scalar(w.Warehouse, "select count(*) from head_facts where abs(image_fraction + text_fraction - 1) > 1e-4"));
        // region metrics exist exactly for samples with a box
        Assert.Equal(Duck.Scalar(w.Warehouse, "select count(*) from samples where box_x0 is not null") * layers * heads,
            Duck.Scalar(w.Warehouse, "select count(*) from head_facts where region_fraction is not null"));
        Assert.Equal("complete", Duck.Query(w.Warehouse, "select status from runs")[0][0]);
        Assert.Equal(0, Duck.Scalar(w.Warehouse, "select count(*) from rejects"));
    }

    [Fact]
    public void Rerunning_the_same_ingest_skips_it_and_changes_nothing()
    {
        var before = Snapshot(w.Warehouse);
        var (code, outcome) = w.Ingest(w.Warehouse, w.Assets.BenchmarkDir);
        Assert.Equal(0, code);
        Assert.True(Assert.Single(outcome.Jobs).Skipped);
        Assert.Equal(before, Snapshot(w.Warehouse));
    }

    [Fact]
    public void An_interrupted_run_resumes_to_the_same_warehouse()
    {
        string copy = Path.Combine(w.Root, "resume-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDir(w.Warehouse, copy);
        File.Delete(Path.Combine(copy, "warehouse.duckdb"));
        // simulate a crash after chunk 1: no runs row, last manifest line gone, chunk-2 parts half there
        var runPart = Directory.GetFiles(Path.Combine(copy, IngestJob.RunsTable), "*.parquet", SearchOption.AllDirectories).Single();
        File.Delete(runPart);
        var manifest = Directory.GetFiles(Path.Combine(copy, "_manifests"), "*.jsonl", SearchOption.AllDirectories).Single();
        File.WriteAllLines(manifest, File.ReadAllLines(manifest).Take(2));
        var lastFacts = Directory.GetFiles(Path.Combine(copy, IngestJob.HeadFactsTable), "*-00002.parquet", SearchOption.AllDirectories).Single();
        File.Move(lastFacts, lastFacts + PartWriter.TempSuffix);
        File.Delete(Directory.GetFiles(Path.Combine(copy, IngestJob.SamplesTable), "*-00002.parquet", SearchOption.AllDirectories).Single());

        var (code, outcome) = w.Ingest(copy, w.Assets.BenchmarkDir);

        Assert.Equal(0, code);
        var job = Assert.Single(outcome.Jobs);
        Assert.Equal((1, 2), (job.ChunksWritten, job.ChunksSkipped));
        Assert.Equal(IngestedWarehouse.Samples, job.Samples);
        Assert.Empty(Directory.GetFiles(copy, "*" + PartWriter.TempSuffix, SearchOption.AllDirectories));
        foreach (var table in new[] { "head_facts", "samples", "rejects", "models" })
            Assert.Equal(Duck.Checksum(w.Warehouse, table), Duck.Checksum(copy, table));
    }

    [Fact]
    public void Bad_benchmark_lines_go_to_rejects_and_the_run_goes_on()
    {
        string bench = Path.Combine(w.Root, "bad-bench-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDir(w.Assets.BenchmarkDir, bench);
        string questions = Path.Combine(bench, "questions.jsonl");
        var lines = File.ReadAllLines(questions).Take(5).ToList();
        lines.Add("{ this is not json");
        lines.Add("""{"id": "gone", "image": "images/missing.png", "question": "Is there a red circle in the image?", "answer": "yes"}""");
        lines.Add("""{"id": "noq", "image": "images/00000.png", "answer": "yes"}""");
        File.WriteAllLines(questions, lines);
        File.WriteAllText(Path.Combine(bench, "images", "broken.png"), "not a png");
        File.AppendAllLines(questions, ["""{"id": "broken", "image": "images/broken.png", "question": "Is there a red circle in the image?", "answer": "no"}"""]);
        string wh = Path.Combine(w.Root, "wh-" + Path.GetFileName(bench));

        var (code, outcome) = w.Ingest(wh, bench);

        Assert.Equal(0, code);
        Assert.Equal((5, 4), (outcome.Jobs[0].Samples, outcome.Jobs[0].Rejects));
        var rejects = Duck.Query(wh, "select line, field, reason, source_file from rejects order by line");
        Assert.Equal(new long?[] { 6, 7, 8, 9 }, rejects.Select(r => r[0] is null ? (long?)null : Convert.ToInt64(r[0])).ToArray());
        Assert.All(rejects, r => Assert.False(string.IsNullOrWhiteSpace((string)r[2]!)));
        Assert.All(rejects, r => Assert.EndsWith("questions.jsonl", (string)r[3]!));
        Assert.Equal("image", rejects[3][1]);
        Assert.Equal(5 * 16, Duck.Scalar(wh, "select count(*) from head_facts"));
    }

    [Fact]
    public void A_broken_model_folder_fails_the_run_with_a_message_naming_the_file()
    {
        string model = Path.Combine(w.Root, "broken-model-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDir(w.Assets.ModelDir, model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{ \"model_type\": \"llava\" ");
        var (code, outcome) = w.Ingest(Path.Combine(w.Root, "wh-broken"), w.Assets.BenchmarkDir, model);
        Assert.Equal(1, code);
        Assert.Contains("config.json", outcome.Failure!.Message);
    }

    static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".duckdb") && !f.EndsWith(".wal"))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    internal static void CopyDir(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
    }
}

public sealed class ContextLimitTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("vhw-ctx-").FullName;
    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prompts_longer_than_the_context_are_rejected_not_truncated()
    {
        var assets = Vhw.Ingest.Default.DefaultAssets.Create(Path.Combine(_root, "d"), seed: 5, samples: 6);
        // shrink the model's context below prompt + 16 image tokens + answer
        string config = Path.Combine(assets.ModelDir, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!;
        json["text_config"]!["max_position_embeddings"] = 40;
        File.WriteAllText(config, json.ToJsonString());
        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = assets.ModelDir, ["Benchmarks:0"] = assets.BenchmarkDir, ["Warehouse"] = Path.Combine(_root, "wh"),
        };
        using var host = Vhw.Ingest.Worker.IngestHost.Build(values, null, showProgress: false);
        var (code, outcome) = Vhw.Ingest.Worker.IngestHost.RunAsync(host).GetAwaiter().GetResult();

        Assert.Equal(0, code);
        Assert.Equal((0, 6), (outcome.Jobs[0].Samples, outcome.Jobs[0].Rejects));
        var reasons = Duck.Query(Path.Combine(_root, "wh"), "select field, reason from rejects");
        Assert.All(reasons, r => Assert.Equal("question", r[0]));
        Assert.All(reasons, r => Assert.Contains("context is 40", (string)r[1]!));
    }
}
