using System.Diagnostics;

namespace Vhw.Ingest.Reliability;

/// <summary>
/// Named crash points for the fault-injection tests. With <c>VHW_FAULT_KILL=point:n</c> in the environment,
/// the process SIGKILLs itself the n-th time it reaches <c>point</c>; without it, Hit is a no-op.
/// Points: sample-done (mid-chunk), part-writing (Parquet bytes written, file not closed or renamed),
/// parts-renamed (all part files in place, manifest not yet updated), chunk-recorded (after the manifest line).
/// </summary>
public static class FaultPoints
{
    public const string EnvironmentVariable = "VHW_FAULT_KILL";
    public const string SampleDone = "sample-done", PartWriting = "part-writing", PartsRenamed = "parts-renamed", ChunkRecorded = "chunk-recorded";

    static readonly (string Point, int N)? Target = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
    static int _hits;

    public static void Hit(string point)
    {
        if (Target is { } t && t.Point == point && Interlocked.Increment(ref _hits) == t.N)
            Process.GetCurrentProcess().Kill(); // SIGKILL: no finally blocks, no flush — a real crash
    }

    /// <summary>
    /// With <c>VHW_FAULT_OOM=n</c>, the n-th generation fails as libtorch does when a CUDA device runs out of memory;
    /// with <c>VHW_FAULT_OOM=n:cpu</c>, as libtorch's CPU allocator does ("not enough memory"). Used to test that the
    /// batch is split and only a sample that runs out alone is rejected.
    /// </summary>
    public static void MaybeOutOfMemory()
    {
        if (OomTarget is { } t && Interlocked.Increment(ref _generations) == t.N)
            throw new System.Runtime.InteropServices.ExternalException(t.Cpu
                ? "DefaultCPUAllocator: not enough memory: you tried to allocate 2147483648 bytes. (injected by VHW_FAULT_OOM)"
                : "CUDA out of memory. Tried to allocate 2.00 GiB (injected by VHW_FAULT_OOM)");
    }

    public const string OomEnvironmentVariable = "VHW_FAULT_OOM";
    static readonly (int N, bool Cpu)? OomTarget = ParseOom(Environment.GetEnvironmentVariable(OomEnvironmentVariable));
    static int _generations;

    static (int, bool)? ParseOom(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return null;
        var parts = spec.Split(':');
        return int.TryParse(parts[0], out int n) && n > 0 && (parts.Length == 1 || parts is [_, "cpu"]) ? (n, parts.Length == 2)
            : throw new ArgumentException($"{OomEnvironmentVariable}='{spec}' must look like n or n:cpu");
    }

    static (string, int)? Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return null;
        var parts = spec.Split(':');
        return parts.Length == 2 && int.TryParse(parts[1], out int n) && n > 0 ? (parts[0], n)
            : throw new ArgumentException($"{EnvironmentVariable}='{spec}' must look like point:n");
    }
}
