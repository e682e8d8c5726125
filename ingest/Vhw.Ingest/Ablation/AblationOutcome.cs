using Vhw.Ingest.Worker;

namespace Vhw.Ingest.Ablation;

/// <summary>What the ablation worker did; the CLI turns it into the exit code (0 complete, 1 failed, 3 stopped early).</summary>
public sealed class AblationOutcome : WorkerOutcome<SweepSummary>
{
    public IReadOnlyList<SweepSummary> Sweeps => Items;
}
