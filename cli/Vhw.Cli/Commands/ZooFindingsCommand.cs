using System.CommandLine;
using TorchSharp;
using Vhw.Zoo.Findings;

namespace Vhw.Cli.Commands;

/// <summary>`vhw zoo-findings`: the must-show numbers of the shipped zoo (what tests/Vhw.Zoo.Tests measures) as a Markdown document.</summary>
static class ZooFindingsCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Folder of trained members ({family}-{scale}) with their {name}-init controls and shortfalls.json", DefaultValueFactory = _ => "zoo/models" };
        var output = new Option<string>("--out") { Description = "Markdown file to write", DefaultValueFactory = _ => "docs/zoo-findings.md" };
        var samples = new Option<int>("--samples") { Description = "Test samples per benchmark (real and white image) and pope-like samples for the head lifts", DefaultValueFactory = _ => 100 };
        var ablationSamples = new Option<int>("--ablation-samples") { Description = "pope-like samples of the visual-head ablation", DefaultValueFactory = _ => 100 };
        var draws = new Option<int>("--draws") { Description = $"Random head sets per ablation (at least {VisualHeadAblation.MinDraws})", DefaultValueFactory = _ => VisualHeadAblation.MinDraws };
        var writeShortfalls = new Option<bool>("--write-shortfalls")
        {
            Description = "Rewrite <models>/shortfalls.json from this measurement (after retraining the zoo): today's misses, each keeping its " +
                          "note where the listed value still holds (within 3 points); review the file and write the missing notes by hand",
        };
        var parallel = new Option<int?>("--parallel") { Description = "Members measured at once, one torch thread each (default: half the CPUs, at most 8)" };
        var cmd = new Command("zoo-findings",
            "Measure the shipped zoo on the regenerated default test split: accuracy with real and white images and one-sided binomial tests " +
            "against chance, head image lifts of each member and its untrained control, and the top-10 % vs random-10 % visual-head ablation " +
            "(pope-like, maskout) for members at ≥ 85 % pope-like. Writes Markdown; exit code 1 when shortfalls.json does not match.")
        { models, output, samples, ablationSamples, draws, parallel, writeShortfalls };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            string modelsDir = pr.GetValue(models)!, outFile = pr.GetValue(output)!;
            if (!Directory.Exists(modelsDir)) throw new DirectoryNotFoundException($"models folder not found: {modelsDir}");
            int n = pr.GetValue(samples), d = pr.GetValue(draws);
            if (d < VisualHeadAblation.MinDraws) throw new ArgumentException($"--draws must be at least {VisualHeadAblation.MinDraws}");
            var settings = new FindingsSettings { AccuracySamples = n, LiftSamples = n, AblationSamples = pr.GetValue(ablationSamples), Draws = d };
            if (pr.GetValue(parallel) is { } p) settings = settings with { Parallelism = Math.Max(1, p) };
            torch.set_num_threads(1);
            string scratch = Directory.CreateTempSubdirectory("vhw-zoo-findings-").FullName;
            try
            {
                var run = FindingsRun.Measure(modelsDir, settings, scratch, "`vhw zoo-findings`", m => Console.Error.WriteLine(m), ct);
                if (pr.GetValue(writeShortfalls))
                {
                    string file = Path.Combine(modelsDir, Shortfalls.FileName);
                    var refreshed = Shortfalls.Refresh(run.Checks, run.Listed, Shortfalls.Tolerance);
                    File.WriteAllText(file, Shortfalls.Serialize(refreshed));
                    Console.Error.WriteLine($"wrote {file}: {refreshed.Count} misses, {refreshed.Count(s => s.Note is null)} without a note (write those by hand)");
                    var problems = Shortfalls.Reconcile(run.Checks, refreshed, Shortfalls.Tolerance);
                    run = run with
                    {
                        Listed = refreshed, ShortfallProblems = problems,
                        Document = FindingsTable.Document(run.Findings, settings, run.Checks, run.Elapsed, "`vhw zoo-findings`", problems),
                    };
                }
                if (Path.GetDirectoryName(Path.GetFullPath(outFile)) is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllText(outFile, run.Document);
                Console.Error.WriteLine($"vhw zoo-findings: {run.Members.Count} members in {run.Elapsed.TotalSeconds:0} s → {outFile}");
                foreach (var problem in run.ShortfallProblems) Console.Error.WriteLine($"shortfalls.json: {problem}");
                return Task.FromResult(run.ShortfallProblems.Count == 0 ? 0 : 1);
            }
            finally { Directory.Delete(scratch, recursive: true); }
        }));
        return cmd;
    }
}
