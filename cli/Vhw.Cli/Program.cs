using System.CommandLine;
using Vhw.Cli.Commands;

// vhw: one CLI for the warehouse. Each verb parses its options and calls one service.
var root = new RootCommand("VisionHeadsWarehouse: find and measure visual heads in LLaVA-style models " +
                           "(Bi et al., CVPR 2025). Typical flow: default → ingest → transform → report.")
{
    DefaultCommand.Create(),
    IngestCommand.Create(),
    TransformCommand.Create(),
    ReportCommand.Create(),
    SqlCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
    BenchCommand.Create(),
    AblateCommand.Create(),
    BenchmarksCommand.Create(),
    ZooCommand.Create(),
    ZooFindingsCommand.Create(),
    SynthCommand.Create(),
    SummariseCommand.Create(),
};

// The ingest host handles Ctrl-C/SIGTERM itself (finish the current chunk, then stop): no forced exit here.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
