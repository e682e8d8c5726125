using System.CommandLine;
using Vhw.Ingest.Bench;

namespace Vhw.Cli.Commands;

static class BenchCommand
{
    public static Command Create()
    {
        var outFile = new Option<string>("--out") { Description = "Markdown file to write", DefaultValueFactory = _ => "BENCHMARKS.md" };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved measurement rounds (median taken)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("bench", "Measure capture overhead vs plain greedy generation (same run, ratio) and storage per fact; write BENCHMARKS.md.")
        { outFile, rounds };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            string work = Directory.CreateTempSubdirectory("vhw-bench-").FullName;
            try
            {
                var figures = CaptureBenchmark.Run(work, pr.GetValue(rounds), new Progress<string>(m => Console.Error.WriteLine(m)), ct);
                string md = BenchmarkReport.Render(figures, DateTime.UtcNow);
                File.WriteAllText(pr.GetValue(outFile)!, md);
                Console.WriteLine(md);
                return Task.FromResult(0);
            }
            finally { Directory.Delete(work, recursive: true); }
        }));
        return cmd;
    }
}
