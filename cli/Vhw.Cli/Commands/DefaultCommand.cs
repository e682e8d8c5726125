using System.CommandLine;
using Vhw.Ingest.Default;

namespace Vhw.Cli.Commands;

static class DefaultCommand
{
    public static Command Create()
    {
        var outOpt = new Option<DirectoryInfo>("--out") { Description = "Folder to write models/ and benchmarks/ into", DefaultValueFactory = _ => new DirectoryInfo("artifacts/default") };
        var seedOpt = new Option<int>("--seed") { Description = "Seed of the random init and of the synthetic benchmark", DefaultValueFactory = _ => 1234 };
        var nOpt = new Option<int>("--samples") { Description = "Number of synthetic benchmark samples", DefaultValueFactory = _ => 200 };
        var cmd = new Command("default", "Create the embedded default: a seeded tiny LLaVA in HF format and a synthetic yes/no benchmark (deterministic).")
        { outOpt, seedOpt, nOpt };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var paths = DefaultAssets.Create(pr.GetValue(outOpt)!.FullName, pr.GetValue(seedOpt), pr.GetValue(nOpt));
            Console.WriteLine($"model:     {paths.ModelDir}");
            Console.WriteLine($"benchmark: {paths.BenchmarkDir}");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
