using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Vhw.Ingest.Worker;

namespace Vhw.Cli.Commands;

static class IngestCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Model folder in HF llava format (repeatable)", AllowMultipleArgumentsPerToken = true };
        var benchmarks = new Option<string[]>("--benchmark") { Description = "Benchmark folder or file, format detected, or format:path with format questions, pope, mmbench, seed, qbench or pointqa (repeatable; `vhw benchmarks --root DIR` lists what is found)", AllowMultipleArgumentsPerToken = true };
        var imageRoots = new Option<string[]>("--image-root") { Description = "Folder searched first for images named by POPE / SEED-Bench / Q-Bench / PointQA rows (repeatable)", AllowMultipleArgumentsPerToken = true };
        var circular = new Option<bool?>("--circular") { Description = "Multiple choice (MMBench, SEED-Bench, Q-Bench): ask every rotation of the options; circular_accuracy counts a question right only when every round is" };
        var warehouse = new Option<string?>("--warehouse") { Description = "Warehouse root folder (default: warehouse)" };
        var query = new Option<string?>("--query-kind") { Description = "answer_step2 (first answer token at decoding step 2, the paper's choice; default) or last_prompt" };
        var maxNew = new Option<int?>("--max-new-tokens") { Description = "Greedy tokens to generate per sample (default 4)" };
        var chunk = new Option<int?>("--chunk-size") { Description = "Samples per part file, the unit of resumption (default 64)" };
        var batch = new Option<int?>("--batch-size") { Description = "Samples generated together in one left-padded batch, inside a chunk (default 1); facts equal batch size 1 within float tolerance" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N lines of each benchmark" };
        var dtype = new Option<string?>("--dtype") { Description = "float32 (default), float16 or bfloat16" };
        var device = new Option<string?>("--device") { Description = "cpu (default) or cuda[:N] (needs the cuda build, -p:TorchBackend=cuda)" };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: libtorch's choice)" };
        var shard = new Option<string?>("--shard") { Description = "i/N: ingest shard i of N (0-based; samples by position mod N). Run N workers with the same options and different i; `vhw transform` checks that all shards are complete" };
        var config = new Option<string?>("--config") { Description = "Extra JSON settings file (section \"Ingest\"); flags override it" };
        var noProgress = new Option<bool>("--no-progress") { Description = "Log lines only, no progress bars" };

        var cmd = new Command("ingest",
            "Run models over benchmarks and write per-sample, per-(layer, head) attention facts to hive-partitioned Parquet. " +
            "Resumable and idempotent: rerunning skips completed chunks and runs. Ctrl-C stops after the current chunk (exit code 3).")
        { models, benchmarks, imageRoots, circular, warehouse, query, maxNew, chunk, batch, limit, dtype, device, threads, shard, config, noProgress };

        cmd.SetAction((pr, ct) => CliErrors.Guard(async () =>
        {
            var values = new Dictionary<string, string?>();
            void List(string key, string[]? xs) { for (int i = 0; i < (xs?.Length ?? 0); i++) values[$"{key}:{i}"] = xs![i]; }
            void One(string key, object? v) { if (v is not null) values[key] = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture); }
            List(nameof(IngestOptions.Models), pr.GetValue(models));
            List(nameof(IngestOptions.Benchmarks), pr.GetValue(benchmarks));
            List(nameof(IngestOptions.ImageRoots), pr.GetValue(imageRoots));
            One(nameof(IngestOptions.Circular), pr.GetValue(circular));
            One(nameof(IngestOptions.Warehouse), pr.GetValue(warehouse));
            One(nameof(IngestOptions.QueryKind), pr.GetValue(query));
            One(nameof(IngestOptions.MaxNewTokens), pr.GetValue(maxNew));
            One(nameof(IngestOptions.ChunkSize), pr.GetValue(chunk));
            One(nameof(IngestOptions.BatchSize), pr.GetValue(batch));
            One(nameof(IngestOptions.Limit), pr.GetValue(limit));
            One(nameof(IngestOptions.Dtype), pr.GetValue(dtype));
            One(nameof(IngestOptions.Device), pr.GetValue(device));
            One(nameof(IngestOptions.Threads), pr.GetValue(threads));
            One(nameof(IngestOptions.Shard), pr.GetValue(shard));

            using var host = IngestHost.Build(values, pr.GetValue(config), showProgress: !pr.GetValue(noProgress) && !Console.IsOutputRedirected);
            // where the summaries go: the configured warehouse (read now; RunAsync disposes the host's services)
            string warehouseRoot = host.Services.GetRequiredService<IConfiguration>()[$"{IngestOptions.Section}:{nameof(IngestOptions.Warehouse)}"]
                                   ?? new IngestOptions().Warehouse;
            var (code, outcome) = await IngestHost.RunAsync(host);
            if (outcome.Failure is not null) Console.Error.WriteLine($"vhw: error: {outcome.Failure.Message}");
            foreach (var j in outcome.Jobs)
                Console.WriteLine($"{j.Model} × {j.Benchmark}: run {j.RunId} {(j.Skipped ? "already complete" : j.Complete ? "complete" : "INCOMPLETE")}" +
                                  $" ({j.Samples} samples, {j.Rejects} rejects, {j.ChunksWritten} chunks written, {j.ChunksSkipped} resumed, {j.Elapsed.TotalSeconds:0.0} s)");
            if (code == 3) Console.Error.WriteLine("vhw: ingest stopped before the end; rerun the same command to resume.");
            if (outcome.Failure is null) WriteSummaries(warehouseRoot);
            return code;
        }));
        return cmd;
    }

    // The head summaries of the parts just written (and of any other part without one): optional, so a failure here is a
    // warning and the ingest's exit code stands.
    static void WriteSummaries(string warehouse)
    {
        try
        {
            Console.WriteLine(Vhw.Transform.Summaries.HeadSummaryWriter.Describe(Vhw.Transform.Summaries.HeadSummaryWriter.WriteMissing(warehouse)));
        }
        catch (Exception e) when (e is IOException or DuckDB.NET.Data.DuckDBException or Vhw.Transform.TransformException)
        {
            Console.Error.WriteLine($"vhw: warning: head summaries not written ({e.Message}); `vhw transform` aggregates those parts' facts itself, `vhw summarise` retries.");
        }
    }
}
