namespace Vhw.Ingest.Worker;

/// <summary>What the worker did; the CLI turns it into the exit code.</summary>
public sealed class IngestOutcome
{
    readonly List<JobSummary> _jobs = new();
    public IReadOnlyList<JobSummary> Jobs => _jobs;
    public Exception? Failure { get; set; }
    public bool Cancelled { get; set; }

    public bool Complete => Failure is null && !Cancelled && _jobs.All(j => j.Complete);

    public void Add(JobSummary job) { lock (_jobs) _jobs.Add(job); }
}

/// <param name="Skipped">True when the run was already complete in the warehouse (idempotent rerun).</param>
public sealed record JobSummary(string Model, string Benchmark, string RunId, int Samples, int Rejects, int ChunksWritten, int ChunksSkipped, bool Skipped, bool Complete, TimeSpan Elapsed);
