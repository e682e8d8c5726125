using System.CommandLine;
using Vhw.Transform.Summaries;

namespace Vhw.Cli.Commands;

static class SummariseCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var cmd = new Command("summarise",
            "Write the head summaries (per fact part and head: counts, sums and squared deviations; schema.sql's head_summaries) " +
            "of every head_facts part that has none, so that `vhw transform` reads them instead of aggregating those facts again. " +
            "`vhw ingest` and `vhw synth` do this when they finish; run it for a warehouse from before them, or one copied " +
            "without head_summaries/. Idempotent; the transform is correct without summaries, only slower.")
        { warehouse };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var result = HeadSummaryWriter.WriteMissing(pr.GetValue(warehouse)!, new Progress<string>(m => Console.Error.WriteLine(m)), ct: ct);
            Console.WriteLine(HeadSummaryWriter.Describe(result));
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
