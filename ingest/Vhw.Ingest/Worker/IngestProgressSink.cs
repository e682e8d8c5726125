using Spectre.Console;
using Spectre.Console.Rendering;
using Vhw.Ingest.Pipeline;

namespace Vhw.Ingest.Worker;

/// <summary>Where job progress goes: a Spectre.Console progress display, or nowhere (tests).</summary>
public interface IIngestProgressSink
{
    Task RunAsync(Func<IProgress<JobProgress>, Task> work);
}

public sealed class NullProgressSink : IIngestProgressSink
{
    public Task RunAsync(Func<IProgress<JobProgress>, Task> work) => work(new Progress<JobProgress>(_ => { }));
}

/// <summary>One bar per model × benchmark with samples/s and ETA.</summary>
public sealed class SpectreProgressSink : IIngestProgressSink
{
    public Task RunAsync(Func<IProgress<JobProgress>, Task> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new SamplesPerSecondColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(ctx => work(new TaskProgress(ctx)));

    sealed class TaskProgress(ProgressContext ctx) : IProgress<JobProgress>
    {
        readonly Dictionary<(string, string), ProgressTask> _tasks = new();

        public void Report(JobProgress p)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue((p.Model, p.Benchmark), out var task))
                    _tasks[(p.Model, p.Benchmark)] = task = ctx.AddTask($"{p.Model} × {p.Benchmark}", maxValue: Math.Max(1, p.Total));
                task.Value = p.Done;
                if (p.Done >= p.Total) task.StopTask();
            }
        }
    }

    sealed class SamplesPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup(task.Speed is { } s ? $"[grey]{s:0.0} samples/s[/]" : "[grey]- samples/s[/]");
    }
}
