using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vhw.Ingest.Pipeline;

namespace Vhw.Ingest.Worker;

/// <summary>
/// A hosted service that runs its whole job once, records how it ended in the outcome, then StopApplication().
/// Ctrl-C / SIGTERM cancels the token; the job finishes its current chunk and stays resumable.
/// </summary>
public abstract class RunToCompletionWorker<TItem>(
    WorkerOutcome<TItem> outcome,
    IIngestProgressSink progressSink,
    IHostApplicationLifetime lifetime,
    ILogger logger,
    string verb) : BackgroundService where TItem : ICompletable
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => progressSink.RunAsync(p => RunAllAsync(p, stoppingToken)), CancellationToken.None);
            outcome.Cancelled = stoppingToken.IsCancellationRequested && !outcome.Complete;
        }
        catch (Exception e)
        {
            outcome.Failure = e;
            logger.LogError("{Verb} failed: {Message}", verb, e.Message);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>The job: add each finished (or stopped) unit to the outcome; return early when <paramref name="ct"/> fires.</summary>
    protected abstract Task RunAllAsync(IProgress<JobProgress> progress, CancellationToken ct);
}
