using System.CommandLine;
using System.Globalization;
using Vhw.Ingest.Ablation;

namespace Vhw.Cli.Commands;

static class AblateCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Model folder in HF llava format (repeatable)", AllowMultipleArgumentsPerToken = true };
        var benchmarks = new Option<string[]>("--benchmark") { Description = "Benchmark as for `vhw ingest`: a folder or file in a known format (questions, pope, mmbench, seed, qbench, pointqa) or format:path (repeatable)", AllowMultipleArgumentsPerToken = true };
        var imageRoots = new Option<string[]>("--image-root") { Description = "Folder searched first for images named by POPE / SEED-Bench / Q-Bench / PointQA rows (repeatable; as for ingest)", AllowMultipleArgumentsPerToken = true };
        var circular = new Option<bool?>("--circular") { Description = "Multiple choice: ask every rotation of the options, as ingest did (each rotation scored as one sample)" };
        var warehouse = new Option<string?>("--warehouse") { Description = "Warehouse root: head_scores read from its warehouse.duckdb, results written below it (default: warehouse)" };
        var select = new Option<string[]>("--select")
        {
            Description = "Explicit selections instead of the standard sweep (repeatable): top:K | random:K:SEED[:STAGE] | stage:early|middle|late[:K] | list:L.H,… ; K = count or N%",
            AllowMultipleArgumentsPerToken = true,
        };
        var mode = new Option<string[]>("--mode") { Description = "maskout (the authors' operation; default) and/or zero_output (head output zeroed before o_proj)", AllowMultipleArgumentsPerToken = true };
        var percents = new Option<string?>("--percents") { Description = "Sweep points as % of all heads, comma-separated (default 1,2,5,10,20)" };
        var late = new Option<string?>("--late-counts") { Description = "Late-stage removal counts, comma-separated (default 10,20,50,100)" };
        var draws = new Option<int?>("--draws") { Description = "Random selections per sweep point (default 20)" };
        var score = new Option<string?>("--score") { Description = $"head_scores column that ranks heads (default mean_image_fraction; {string.Join(", ", HeadRanking.Scores)})" };
        var scoreBenchmark = new Option<string?>("--score-benchmark") { Description = "Rank by the scores of: same (the ablated benchmark; default), pooled (mean over the model's benchmarks) or a benchmark name" };
        var query = new Option<string?>("--query-kind") { Description = "Query kind of the head_scores rows (default answer_step2)" };
        var maxNew = new Option<int?>("--max-new-tokens") { Description = "Greedy tokens per sample (default 4, as ingest)" };
        var chunk = new Option<int?>("--chunk-size") { Description = "Samples per part file, the unit of resumption (default 64)" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N lines of each benchmark" };
        var dtype = new Option<string?>("--dtype") { Description = "float32 (default), float16 or bfloat16" };
        var device = new Option<string?>("--device") { Description = "cpu (default) or cuda[:N] (needs the cuda build)" };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: libtorch's choice)" };
        var config = new Option<string?>("--config") { Description = "Extra JSON settings file (section \"Ablate\"); flags override it" };
        var noProgress = new Option<bool>("--no-progress") { Description = "Log lines only, no progress bars" };
        var measure = new Option<bool>("--measure-mask-cost") { Description = "Only time one prefill attention call unablated vs with the maskout mask (SDPA and eager) and print a table" };

        var cmd = new Command("ablate",
            "Remove attention heads and measure benchmark accuracy (Bi et al.'s causal test): baseline, top-K visual heads, " +
            "≥ 20 random K-head draws, each stage, up to 100 late heads; writes ablation_results and ablation_samples. " +
            "Run `vhw ingest` and `vhw transform` first (top-K reads head_scores). Resumable and idempotent; Ctrl-C stops after the current chunk (exit code 3).")
        { models, benchmarks, imageRoots, circular, warehouse, select, mode, percents, late, draws, score, scoreBenchmark, query, maxNew, chunk, limit, dtype, device, threads, config, noProgress, measure };

        cmd.SetAction((pr, ct) => CliErrors.Guard(async () =>
        {
            if (pr.GetValue(measure))
            {
                if (pr.GetValue(threads) is int n and > 0) TorchSharp.torch.set_num_threads(n);
                Console.Write(MaskoutCost.Markdown());
                return 0;
            }
            var values = new Dictionary<string, string?>();
            void List(string key, IEnumerable<string>? xs) { int i = 0; foreach (var x in xs ?? []) values[$"{key}:{i++}"] = x; }
            void One(string key, object? v) { if (v is not null) values[key] = Convert.ToString(v, CultureInfo.InvariantCulture); }
            static IEnumerable<string>? Csv(string? s) => s?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            List(nameof(AblationOptions.Models), pr.GetValue(models));
            List(nameof(AblationOptions.Benchmarks), pr.GetValue(benchmarks));
            List(nameof(AblationOptions.ImageRoots), pr.GetValue(imageRoots));
            One(nameof(AblationOptions.Circular), pr.GetValue(circular));
            List(nameof(AblationOptions.Select), pr.GetValue(select));
            List(nameof(AblationOptions.Modes), pr.GetValue(mode));
            List(nameof(AblationOptions.Percents), Csv(pr.GetValue(percents)));
            List(nameof(AblationOptions.LateCounts), Csv(pr.GetValue(late)));
            One(nameof(AblationOptions.Warehouse), pr.GetValue(warehouse));
            One(nameof(AblationOptions.Draws), pr.GetValue(draws));
            One(nameof(AblationOptions.Score), pr.GetValue(score));
            One(nameof(AblationOptions.ScoreBenchmark), pr.GetValue(scoreBenchmark));
            One(nameof(AblationOptions.QueryKind), pr.GetValue(query));
            One(nameof(AblationOptions.MaxNewTokens), pr.GetValue(maxNew));
            One(nameof(AblationOptions.ChunkSize), pr.GetValue(chunk));
            One(nameof(AblationOptions.Limit), pr.GetValue(limit));
            One(nameof(AblationOptions.Dtype), pr.GetValue(dtype));
            One(nameof(AblationOptions.Device), pr.GetValue(device));
            One(nameof(AblationOptions.Threads), pr.GetValue(threads));

            using var host = AblationHost.Build(values, pr.GetValue(config), showProgress: !pr.GetValue(noProgress) && !Console.IsOutputRedirected,
                o => new WarehouseHeadScores(o.Warehouse));
            var (code, outcome) = await AblationHost.RunAsync(host);
            if (outcome.Failure is not null) Console.Error.WriteLine($"vhw: error: {outcome.Failure.Message}");
            foreach (var s in outcome.Sweeps)
                Console.WriteLine($"{s.Model} × {s.Benchmark}: {(s.Complete ? "complete" : "INCOMPLETE")} ({s.Points} points, {s.ResultsWritten} results written, " +
                                  $"{s.ResultsSkipped} already there, {s.EvaluationsComputed} evaluations computed, {s.EvaluationsReused} reused, " +
                                  $"baseline accuracy {s.BaselineAccuracy?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-"}, {s.Elapsed.TotalSeconds:0.0} s)");
            if (code == 3) Console.Error.WriteLine("vhw: ablate stopped before the end; rerun the same command to resume.");
            return code;
        }));
        return cmd;
    }
}
