using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vhw.Ingest.Worker;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// Composes the `vhw ablate` Generic Host like <see cref="IngestHost"/>: appsettings.json (or --config, section "Ablate"),
/// environment (VHW_Ablate__Draws=…), then the command-line values; the caller says where head scores come from
/// (given the bound options, e.g. the warehouse root).
/// </summary>
public static class AblationHost
{
    public static IHost Build(IReadOnlyDictionary<string, string?> commandLine, string? configFile, bool showProgress,
        Func<AblationOptions, IHeadScoreSource> scores)
    {
        var builder = WorkerHost.CreateBuilder<AblationOptions>(AblationOptions.Section, commandLine, configFile);
        builder.Services.AddSingleton(sp => scores(sp.GetRequiredService<IOptions<AblationOptions>>().Value));
        builder.Services.AddSingleton<AblationOutcome>();
        builder.Services.AddSingleton<IIngestProgressSink>(showProgress ? new SpectreProgressSink() : new NullProgressSink());
        builder.Services.AddHostedService<AblationWorker>();
        return builder.Build();
    }

    /// <summary>Runs the host to completion: exit code 0 complete, 1 failed, 3 stopped early (rerun to resume).</summary>
    public static async Task<(int ExitCode, AblationOutcome Outcome)> RunAsync(IHost host, CancellationToken ct = default)
    {
        var outcome = host.Services.GetRequiredService<AblationOutcome>();
        await WorkerHost.RunAsync(host, e => outcome.Failure = e, ct);
        return (outcome.ExitCode, outcome);
    }
}
