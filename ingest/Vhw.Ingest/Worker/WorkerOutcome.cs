namespace Vhw.Ingest.Worker;

/// <summary>A unit of worker output that may have stopped early (an ingest run, an ablation sweep).</summary>
public interface ICompletable
{
    bool Complete { get; }
}

/// <summary>
/// What a run-to-completion worker did (<see cref="RunToCompletionWorker{TOutcome}"/>); the CLI turns it into the exit
/// code: 0 complete, 1 failed, 3 stopped early (rerun to resume).
/// </summary>
public abstract class WorkerOutcome<TItem> where TItem : ICompletable
{
    readonly List<TItem> _items = new();
    protected IReadOnlyList<TItem> Items => _items;
    public Exception? Failure { get; set; }
    public bool Cancelled { get; set; }

    public bool Complete => Failure is null && !Cancelled && _items.All(i => i.Complete);

    public int ExitCode => Failure is not null ? 1 : Complete ? 0 : 3;

    public void Add(TItem item) { lock (_items) _items.Add(item); }
}
