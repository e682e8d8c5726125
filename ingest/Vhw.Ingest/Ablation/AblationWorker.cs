using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Worker;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// `vhw ablate`'s run-to-completion hosted service, the ablation twin of <see cref="IngestWorker"/>: every model × benchmark
/// sweep. Ctrl-C / SIGTERM finishes the current chunk; rerunning the same command resumes.
/// </summary>
public sealed class AblationWorker(
    IOptions<AblationOptions> options,
    IHeadScoreSource scores,
    AblationOutcome outcome,
    IIngestProgressSink progressSink,
    IHostApplicationLifetime lifetime,
    ILogger<AblationWorker> logger) : RunToCompletionWorker<SweepSummary>(outcome, progressSink, lifetime, logger, "ablate")
{
    protected override async Task RunAllAsync(IProgress<JobProgress> progress, CancellationToken ct)
    {
        var o = options.Value;
        foreach (string mode in o.EffectiveModes) HeadAblation.ParseMode(mode);   // bad input fails before any model loads
        HeadRanking.ValidateScore(o.Score);
        if (o.Select.Count == 0 && o.Draws < 20)
            logger.LogWarning("{Draws} random draws per point: the paper's control is a distribution, use at least 20", o.Draws);
        if (o.Threads > 0) torch.set_num_threads(o.Threads);
        var dtype = DtypeNames.Parse(o.Dtype);
        var device = new torch.Device(o.Device);

        foreach (string modelDir in o.Models)
        {
            if (ct.IsCancellationRequested) break;
            logger.LogInformation("loading model {ModelDir}", modelDir);
            // the capture query does not change predictions; the captured rows of an ablated forward are discarded
            using var session = new ModelSession(modelDir, CaptureQuery.AnswerStep2, o.MaxNewTokens, dtype, device);
            var sweep = new AblationSweep(session, o, scores, logger);
            foreach (string benchmarkDir in o.Benchmarks)
            {
                if (ct.IsCancellationRequested) break;
                outcome.Add(await sweep.RunAsync(benchmarkDir, progress, ct));
            }
        }
    }
}
