using System.CommandLine;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Fixtures;
using Vhw.Ingest.Benchmarks.Sources;

namespace Vhw.Cli.Commands;

static class BenchmarksCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Data root to search (the folder and its subfolders, 3 levels deep)", Required = true };
        var imageRoots = new Option<string[]>("--image-root") { Description = "Folder searched first for images named by POPE / SEED / Q-Bench / PointQA rows (repeatable)", AllowMultipleArgumentsPerToken = true };
        var circular = new Option<bool>("--circular") { Description = "Count multiple-choice samples with every rotation of the options (circular evaluation)" };
        var depth = new Option<int>("--depth") { Description = "How many folder levels below the root to search", DefaultValueFactory = _ => 3 };
        var brief = new Option<bool>("--brief") { Description = "One line per benchmark: no subsets, no reject reasons" };
        var fixtures = new Option<bool>("--write-fixtures") { Description = "First write the project's tiny generated benchmarks (every format, synthetic images) into --root" };
        var cmd = new Command("benchmarks",
            "List the benchmarks found under a data root (POPE, MMBench, SEED-Bench, Q-Bench, PointQA, questions.jsonl) with sample and " +
            "reject counts, read exactly as `vhw ingest --benchmark <spec>` will read them (images checked, no model run).")
        { root, imageRoots, circular, depth, brief, fixtures };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            if (pr.GetValue(fixtures)) BenchmarkFixtures.Write(pr.GetValue(root)!);
            var options = new BenchmarkSourceOptions(pr.GetValue(imageRoots) ?? [], pr.GetValue(circular));
            var summaries = BenchmarkCatalog.Scan(pr.GetValue(root)!, options, pr.GetValue(depth), ct);
            Console.Write(BenchmarkCatalog.Render(summaries, details: !pr.GetValue(brief)));
            return Task.FromResult(summaries.Count == 0 ? 1 : 0);
        }));
        return cmd;
    }
}
