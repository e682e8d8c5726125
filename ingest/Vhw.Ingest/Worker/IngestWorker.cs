using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;
using Vhw.Ingest.Pipeline;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Worker;

/// <summary>
/// `vhw ingest`'s run-to-completion hosted service: every model × every benchmark. Ctrl-C / SIGTERM finishes the current
/// chunk and the run stays resumable.
/// </summary>
public sealed class IngestWorker(
    IOptions<IngestOptions> options,
    IngestOutcome outcome,
    IIngestProgressSink progressSink,
    IHostApplicationLifetime lifetime,
    ILogger<IngestWorker> logger) : RunToCompletionWorker<JobSummary>(outcome, progressSink, lifetime, logger, "ingest")
{
    protected override async Task RunAllAsync(IProgress<JobProgress> progress, CancellationToken ct)
    {
        var o = options.Value;
        if (o.Threads > 0) torch.set_num_threads(o.Threads);
        var query = CaptureQueryNames.Parse(o.QueryKind);
        var dtype = DtypeNames.Parse(o.Dtype);
        var device = new torch.Device(o.Device);

        foreach (string modelDir in o.Models)
        {
            if (ct.IsCancellationRequested) break;
            logger.LogInformation("loading model {ModelDir}", modelDir);
            using var session = new ModelSession(modelDir, query, o.MaxNewTokens, dtype, device);
            var job = new IngestJob(session, o, logger);
            foreach (string benchmarkDir in o.Benchmarks)
            {
                if (ct.IsCancellationRequested) break;
                outcome.Add(await job.RunAsync(benchmarkDir, progress, ct));
            }
        }
    }
}

public static class DtypeNames
{
    public static torch.ScalarType Parse(string name) => name switch
    {
        "float32" => torch.ScalarType.Float32,
        "float16" => torch.ScalarType.Float16,
        "bfloat16" => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"unknown dtype '{name}' (float32, float16, bfloat16)"),
    };
}
