using System.CommandLine;
using Vhw.Reports;

namespace Vhw.Cli.Commands;

static class ReportCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var outDir = new Option<string>("--out") { Description = "Output folder for report.md, report.html and the PNG figures", DefaultValueFactory = _ => "reports/out" };
        var cmd = new Command("report", "Write the report (Markdown + one self-contained HTML page + PNG figures) from the warehouse marts only (run `vhw transform` first).")
        { warehouse, outDir };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var r = ReportBuilder.Build(pr.GetValue(warehouse)!, pr.GetValue(outDir)!, ct: ct);
            Console.WriteLine($"wrote {r.MarkdownPath}, {r.HtmlPath} and {r.FigurePaths.Count} figures");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
