using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vhw.Ingest.Worker;

/// <summary>
/// What every `vhw` worker host (ingest, ablate) shares: configuration from appsettings.json next to the
/// binary (or --config), environment variables (VHW_&lt;Section&gt;__Key=...), then the command-line values —
/// later sources win; one-line console logs; options bound from one section and validated at start;
/// a bounded shutdown so Ctrl-C/SIGTERM finishes the current chunk.
/// </summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder<TOptions>(string section, IReadOnlyDictionary<string, string?> commandLine, string? configFile)
        where TOptions : class
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new FileNotFoundException($"config file not found: {configFile}");
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.Configuration.AddEnvironmentVariables(prefix: "VHW_");
        builder.Configuration.AddInMemoryCollection(commandLine.Select(kv => new KeyValuePair<string, string?>($"{section}:{kv.Key}", kv.Value)));

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        return builder;
    }

    /// <summary>Runs the host to completion; a failed options validation becomes <paramref name="setFailure"/>.</summary>
    public static async Task RunAsync(IHost host, Action<Exception> setFailure, CancellationToken ct)
    {
        try { await host.RunAsync(ct); }
        catch (OptionsValidationException e) { setFailure(new ArgumentException(string.Join("; ", e.Failures))); }
    }
}
