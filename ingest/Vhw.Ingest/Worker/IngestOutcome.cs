namespace Vhw.Ingest.Worker;

/// <summary>What the worker did; the CLI turns it into the exit code.</summary>
public sealed class IngestOutcome : WorkerOutcome<JobSummary>
{
    public IReadOnlyList<JobSummary> Jobs => Items;
}

/// <param name="Skipped">True when the run was already complete in the warehouse (idempotent rerun).</param>
public sealed record JobSummary(string Model, string Benchmark, string RunId, int Samples, int Rejects, int ChunksWritten, int ChunksSkipped, bool Skipped, bool Complete, TimeSpan Elapsed) : ICompletable;
