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
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new FileNotFoundException($"config file not found: {configFile}");
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.Configuration.AddEnvironmentVariables(prefix: "VHW_");
        builder.Configuration.AddInMemoryCollection(commandLine.Select(kv => new KeyValuePair<string, string?>($"{IngestOptions.Section}:{kv.Key}", kv.Value)));

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.AddSingleton<IngestOutcome>();
        builder.Services.AddSingleton<IIngestProgressSink>(showProgress ? new SpectreProgressSink() : new NullProgressSink());
        builder.Services.AddHostedService<IngestWorker>();
        return builder.Build();
    }

    /// <summary>Runs the host to completion and returns the outcome (exit code: 0 complete, 1 failed, 3 stopped early).</summary>
    public static async Task<(int ExitCode, IngestOutcome Outcome)> RunAsync(IHost host, CancellationToken ct = default)
    {
        var outcome = host.Services.GetRequiredService<IngestOutcome>();
        try
        {
            await host.RunAsync(ct);
        }
        catch (OptionsValidationException e)
        {
            outcome.Failure = new ArgumentException(string.Join("; ", e.Failures));
        }
        int code = outcome.Failure is not null ? 1 : outcome.Complete ? 0 : 3;
        return (code, outcome);
    }
}
