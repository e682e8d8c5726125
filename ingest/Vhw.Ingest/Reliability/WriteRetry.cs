using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Vhw.Ingest.Reliability;

/// <summary>
/// Retry policy for warehouse IO: transient IOExceptions are retried with bounded exponential back-off and
/// jitter (Polly), each retry logged; when attempts run out the last exception propagates.
/// </summary>
public static class WriteRetry
{
    public const int MaxRetryAttempts = 5;

    public static ResiliencePipeline Create(ILogger? logger = null, TimeSpan? baseDelay = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e is not FileNotFoundException and not DirectoryNotFoundException),
                MaxRetryAttempts = MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    (logger ?? NullLogger.Instance).LogWarning("warehouse IO failed (attempt {Attempt}/{Max}), retrying in {Delay} ms: {Message}",
                        args.AttemptNumber + 1, MaxRetryAttempts + 1, (int)args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
}
