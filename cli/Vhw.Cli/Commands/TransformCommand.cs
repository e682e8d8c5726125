using System.CommandLine;
using Vhw.Transform;

namespace Vhw.Cli.Commands;

static class TransformCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var db = new Option<string?>("--db") { Description = "DuckDB file to build (default: <warehouse>/warehouse.duckdb)" };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for incomplete runs/shards to finish before giving up (default 0)", DefaultValueFactory = _ => 0 };
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "Build even when some runs or shards are incomplete (they are listed)" };
        var replicates = new Option<int?>("--bootstrap-replicates") { Description = "Bootstrap replicates of weight_concentration_corr (default 1000; cost grows with replicates × heads × (samples + a constant) per run: at 250M facts on 2 cores 116–133 s against 44 s at 20; lower it for a quick look)" };
        var threads = new Option<int>("--threads") { Description = "DuckDB threads (default: every core)", DefaultValueFactory = _ => TransformSettings.Default.Threads };
        var memoryLimit = new Option<string>("--memory-limit") { Description = "DuckDB memory limit; beyond it sorts and aggregates spill to <db>.tmp/", DefaultValueFactory = _ => TransformSettings.Default.MemoryLimit };
        var cmd = new Command("transform",
            "Build warehouse.duckdb: raw views from schema.sql over the Parquet, then the SQL models in transform/models " +
            "(staging views → intermediate and mart tables).")
        { warehouse, db, wait, allowIncomplete, replicates, threads, memoryLimit };
        cmd.SetAction((pr, ct) => CliErrors.Guard(async () =>
        {
            string root = pr.GetValue(warehouse)!;
            var deadline = DateTime.UtcNow.AddSeconds(pr.GetValue(wait));
            var incomplete = RunCompleteness.Find(root);
            while (incomplete.Count > 0 && DateTime.UtcNow < deadline)
            {
                Console.Error.WriteLine($"waiting for {incomplete.Count} incomplete run(s)/shard(s)...");
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
                incomplete = RunCompleteness.Find(root);
            }
            foreach (var r in incomplete) Console.Error.WriteLine($"vhw: {(pr.GetValue(allowIncomplete) ? "warning" : "error")}: {r}");
            if (incomplete.Count > 0 && !pr.GetValue(allowIncomplete))
            {
                Console.Error.WriteLine("vhw: finish them (rerun the same `vhw ingest`, with the missing --shard values) or pass --allow-incomplete");
                return 4;
            }
            var settings = new TransformSettings
            {
                BootstrapReplicates = pr.GetValue(replicates), Threads = pr.GetValue(threads), MemoryLimit = pr.GetValue(memoryLimit)!,
            };
            var runner = new TransformRunner(progress: new Progress<string>(m => Console.Error.WriteLine(m)), settings: settings);
            var result = runner.Run(root, pr.GetValue(db), ct);
            foreach (var m in result.Models)
                Console.WriteLine($"{m.Layer,-13} {m.Name,-45} {m.Materialization,-5} {(m.RowCount < 0 ? "-" : m.RowCount.ToString("N0")),12} rows  {m.Elapsed.TotalMilliseconds,8:N0} ms");
            Console.WriteLine($"built {result.DatabasePath} in {result.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return cmd;
    }
}
