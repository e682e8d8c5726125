namespace Vhw.Ingest.Ablation;

/// <summary>What the ablation worker did; the CLI turns it into the exit code (0 complete, 1 failed, 3 stopped early).</summary>
public sealed class AblationOutcome
{
    readonly List<SweepSummary> _sweeps = new();
    public IReadOnlyList<SweepSummary> Sweeps => _sweeps;
    public Exception? Failure { get; set; }
    public bool Cancelled { get; set; }

    public bool Complete => Failure is null && !Cancelled && _sweeps.All(s => s.Complete);

    public void Add(SweepSummary sweep) { lock (_sweeps) _sweeps.Add(sweep); }
}
