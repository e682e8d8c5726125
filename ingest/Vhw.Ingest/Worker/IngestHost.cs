using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vhw.Ingest.Worker;

/// <summary>
/// Composes the ingest Generic Host: appsettings.json (next to the binary, or --config), environment
/// variables (VHW_Ingest__Warehouse=...), then the command-line values — later sources win.
/// </summary>
public static class IngestHost
{
    public static IHost Build(IReadOnlyDictionary<string, string?> commandLine, string? configFile, bool showProgress)
    {
        var builder = WorkerHost.CreateBuilder<IngestOptions>(IngestOptions.Section, commandLine, configFile);
        builder.Services.AddSingleton<IngestOutcome>();
        builder.Services.AddSingleton<IIngestProgressSink>(showProgress ? new SpectreProgressSink() : new NullProgressSink());
        builder.Services.AddHostedService<IngestWorker>();
        return builder.Build();
    }

    /// <summary>Runs the host to completion and returns the outcome (exit code: 0 complete, 1 failed, 3 stopped early).</summary>
    public static async Task<(int ExitCode, IngestOutcome Outcome)> RunAsync(IHost host, CancellationToken ct = default)
    {
        var outcome = host.Services.GetRequiredService<IngestOutcome>();
        await WorkerHost.RunAsync(host, e => outcome.Failure = e, ct);
        return (outcome.ExitCode, outcome);
    }
}
