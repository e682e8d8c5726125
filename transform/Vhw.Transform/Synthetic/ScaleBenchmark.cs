using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;

namespace Vhw.Transform.Synthetic;

/// <summary>One measured step of a child process: wall time, peak resident memory, its stdout.</summary>
public sealed record ChildRun(TimeSpan Elapsed, long PeakRssBytes, string Stdout, string Stderr);

/// <summary>One model's build time as `vhw transform` prints it.</summary>
public sealed record ModelTiming(string Layer, string Name, TimeSpan Elapsed);

/// <summary>
/// The transform-at-scale measurements of `vhw bench`: the hand-written anchor (ONE DuckDB GROUP BY over the
/// head_facts files: per model × benchmark × query_kind × layer × head the count, mean and standard deviation of
/// image_fraction and mean image_concentration, into a temp table so every aggregate is computed), and child
/// processes (`vhw transform`, `vhw report`) timed with their peak RSS, so the warehouse build is measured as a user
/// runs it.
/// </summary>
public static partial class ScaleBenchmark
{
    /// <summary>The models head_scores and model_correlations need (the core marts and what they read).</summary>
    public static IReadOnlyList<string> CoreModels { get; } =
    [
        "int_attention_aggregated_to_run_head", "int_benchmark_runs_filtered_to_latest", "int_heads_counted_in_sample_top_n",
        "head_scores", "model_correlations",
    ];

    public const string AnchorSql = """
        create or replace temp table anchor as
        select model, benchmark, query_kind, layer, head,
            count(*) as n, avg(image_fraction) as mean_image_fraction, stddev_samp(image_fraction) as std_image_fraction,
            avg(image_concentration) as mean_image_concentration
        from read_parquet('head_facts/*/*/*.parquet', hive_partitioning = true)
        group by model, benchmark, query_kind, layer, head
        """;

    /// <summary>Seconds of the anchor GROUP BY, with the transform's threads and memory limit.</summary>
    public static double Anchor(string warehouse, TransformSettings settings, CancellationToken ct)
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        foreach (string pragma in settings.PragmaStatements()) Warehouse.Execute(db, pragma, ct);
        Warehouse.Execute(db, $"set file_search_path = '{Path.GetFullPath(warehouse).Replace("'", "''", StringComparison.Ordinal)}'", ct);
        var watch = Stopwatch.StartNew();
        Warehouse.Execute(db, AnchorSql, ct);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs a command to its end, measuring wall time and the peak RSS of the child (getrusage RUSAGE_CHILDREN).</summary>
    public static ChildRun RunChild(string fileName, IEnumerable<string> arguments, IProgress<string>? log, CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            log?.Report(e.Data);
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        using (ct.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            process.WaitForExit();
        var elapsed = watch.Elapsed;
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}");
        string errors;
        lock (stderr) errors = stderr.ToString();
        return new ChildRun(elapsed, ChildrenPeakRss(), stdout.GetAwaiter().GetResult(), errors);
    }

    /// <summary>The per-model lines of `vhw transform`'s stdout: "layer name materialization rows ms".</summary>
    public static IReadOnlyList<ModelTiming> ParseTimings(string transformStdout) =>
        transformStdout.Split('\n').Select(l => ModelLine().Match(l)).Where(m => m.Success)
            .Select(m => new ModelTiming(m.Groups["layer"].Value, m.Groups["name"].Value,
                TimeSpan.FromMilliseconds(double.Parse(m.Groups["ms"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))))
            .ToList();

    /// <summary>The kernels' phase times from `vhw transform`'s progress lines (its stderr): model name → "weights 1.2 s, facts …".</summary>
    public static IReadOnlyDictionary<string, string> ParseKernelPhases(string transformProgress) =>
        transformProgress.Split('\n').Select(l => KernelLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["phases"].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[\d+/\d+\] \w+/(?<name>\w+) \(kernel [^:]+: (?<phases>[^)]*)\)")]
    private static partial System.Text.RegularExpressions.Regex KernelLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<layer>staging|intermediate|marts)\s+(?<name>\w+)\s+\w+\s+\S+\s+rows\s+(?<ms>[\d,]+)\s+ms")]
    private static partial System.Text.RegularExpressions.Regex ModelLine();

    // Largest peak RSS of the waited-for children of this process (Linux: ru_maxrss in KiB); 0 elsewhere.
    static long ChildrenPeakRss()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return getrusage(-1, out var usage) == 0 ? usage.ru_maxrss * 1024 : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long ru_utime_sec, ru_utime_usec, ru_stime_sec, ru_stime_usec;
        public long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock, ru_oublock,
            ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);
}
