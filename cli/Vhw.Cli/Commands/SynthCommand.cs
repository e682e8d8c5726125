using System.CommandLine;
using Vhw.Transform.Synthetic;

namespace Vhw.Cli.Commands;

static class SynthCommand
{
    public static Command Create()
    {
        var facts = new Option<string>("--facts") { Description = "About how many head facts to write (250M, 5M, 40k, …); samples per run = facts / (models × benchmarks × layers × heads)", DefaultValueFactory = _ => "5M" };
        var outDir = new Option<string>("--out") { Description = "Warehouse folder to create (must not hold head_facts yet)", Required = true };
        var models = new Option<int>("--models") { Description = "How many models of the 16-model catalogue (6 families, 32 layers × 32 heads each)", DefaultValueFactory = _ => 16 };
        var benchmarks = new Option<int>("--benchmarks") { Description = "How many of pope, mmbench, seed, qbench, pointqa", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of every draw (same seed, same warehouse)", DefaultValueFactory = _ => 20250611 };
        var cmd = new Command("synth",
            "Write a realistic synthetic warehouse (schema.sql layout, complete runs and manifests) to measure `vhw transform` " +
            "and `vhw report` at scale. The values come from no real model.")
        { facts, outDir, models, benchmarks, seed };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var options = new SynthOptions(pr.GetValue(outDir)!, SynthOptions.ParseCount(pr.GetValue(facts)!),
                pr.GetValue(models), pr.GetValue(benchmarks), Seed: pr.GetValue(seed));
            var r = SyntheticWarehouseWriter.Write(options, new Progress<string>(m => Console.Error.WriteLine(m)), ct);
            Console.WriteLine($"wrote {r.Root}: {r.Models} models × {r.Benchmarks} benchmarks × {r.SamplesPerRun:N0} samples = {r.Facts:N0} facts, " +
                              $"head_facts {r.HeadFactsBytes / 1048576.0:N0} MiB ({(double)r.HeadFactsBytes / r.Facts:0.0} B/fact) in {r.Elapsed.TotalSeconds:0} s");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
