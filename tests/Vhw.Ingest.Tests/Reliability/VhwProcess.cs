using System.Diagnostics;

namespace Vhw.Ingest.Tests.Reliability;

/// <summary>Runs the real `vhw` binary (copied next to the tests) as a separate process.</summary>
static class VhwProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vhw.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("VHW_FAULT_KILL");
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>
    /// How long a test waits for a vhw process. It only guards against a hang; it is no speed limit, so it is generous:
    /// an ingest of 400 samples once took over 120 s on a 2-core machine with builds and tests running beside it.
    /// </summary>
    public const int HangGuardSeconds = 600;

    /// <summary>Runs vhw to its end (or fails after <paramref name="timeoutSeconds"/>).</summary>
    public static Result Run(IEnumerable<string> args, IDictionary<string, string>? env = null, int timeoutSeconds = HangGuardSeconds)
    {
        using var p = Start(args, env);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"vhw {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string[] IngestArgs(string model, string benchmark, string warehouse, int chunkSize, params string[] extra) =>
        ["ingest", "--model", model, "--benchmark", benchmark, "--warehouse", warehouse, "--chunk-size", chunkSize.ToString(), "--no-progress", .. extra];

    /// <summary>Sends a POSIX signal (SIGTERM = "TERM") to a process.</summary>
    public static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, p.Id.ToString()])!;
        kill.WaitForExit();
    }
}
