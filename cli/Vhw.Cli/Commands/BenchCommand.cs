using System.CommandLine;
using Vhw.Ingest.Bench;
using Vhw.Transform.Synthetic;

namespace Vhw.Cli.Commands;

static class BenchCommand
{
    public static Command Create()
    {
        var outFile = new Option<string>("--out") { Description = "Markdown file to write", DefaultValueFactory = _ => "BENCHMARKS.md" };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved measurement rounds of the capture part (each round times every mode back to back; the median of the per-round ratios is reported)", DefaultValueFactory = _ => 15 };
        var parts = new Option<string>("--parts") { Description = "Comma-separated parts: capture (ingest overhead and throughput vs --batch-size 1…16), storage (bytes per fact at 32 × 32 heads), transform (synthetic warehouse at scale: transform vs one GROUP BY, report time)", DefaultValueFactory = _ => "capture,storage,transform" };
        var facts = new Option<string>("--facts") { Description = "transform part: head facts of the synthetic warehouse (`vhw synth --facts`)", DefaultValueFactory = _ => "250M" };
        var warehouse = new Option<string?>("--warehouse") { Description = "transform part: measure this existing synthetic warehouse instead of writing one (it is not deleted)" };
        var scratch = new Option<string?>("--scratch") { Description = "transform part: folder for the synthetic warehouse (default: the system temp folder; removed afterwards)" };
        var replicates = new Option<int>("--bootstrap-replicates") { Description = "transform part: bootstrap replicates of weight_concentration_corr in the timed transform (a second transform then runs at the default, 1000)", DefaultValueFactory = _ => TransformScaleBench.DefaultReplicates };
        var cmd = new Command("bench",
            "Measure ingest capture overhead, storage per fact and the transforms at scale, each against an anchor measured in the same run; write BENCHMARKS.md.")
        { outFile, rounds, parts, facts, warehouse, scratch, replicates };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var selected = pr.GetValue(parts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            if (selected.Except(["capture", "storage", "transform"]).FirstOrDefault() is { } unknown)
                throw new ArgumentException($"unknown bench part '{unknown}' (capture, storage, transform)");
            var log = new Progress<string>(m => Console.Error.WriteLine(m));
            var figures = new List<BenchFigure>();
            var sections = new List<string>();
            string work = Directory.CreateTempSubdirectory("vhw-bench-").FullName;
            try
            {
                if (selected.Contains("capture")) figures.AddRange(CaptureBenchmark.Run(work, pr.GetValue(rounds), log, ct));
                if (selected.Contains("storage")) figures.AddRange(StorageBenchmark.Run(work));
                if (selected.Contains("transform"))
                {
                    var scale = TransformScaleBench.Run(new TransformScaleBench.Options(SynthOptions.ParseCount(pr.GetValue(facts)!),
                        pr.GetValue(warehouse), pr.GetValue(scratch), pr.GetValue(replicates)), log, ct);
                    figures.AddRange(scale.Figures);
                    sections.AddRange(scale.Sections);
                }
            }
            finally { Directory.Delete(work, recursive: true); }
            string md = BenchmarkReport.Render(figures, DateTime.UtcNow, sections);
            File.WriteAllText(pr.GetValue(outFile)!, md);
            Console.WriteLine(md);
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
