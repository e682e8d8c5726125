namespace Vhw.Transform.Kernels;

/// <summary>Wall time per named phase of a kernel, summed over its partitions, in the order phases first ran.</summary>
public sealed class KernelPhases
{
    private readonly List<(string Name, TimeSpan Time)> _phases = [];

    public void Add(string name, TimeSpan time)
    {
        int i = _phases.FindIndex(p => p.Name == name);
        if (i < 0) _phases.Add((name, time));
        else _phases[i] = (name, _phases[i].Time + time);
    }

    /// <summary>Runs <paramref name="phase"/> and adds its time to <paramref name="name"/>.</summary>
    public T Time<T>(string name, Func<T> phase)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try { return phase(); }
        finally { Add(name, System.Diagnostics.Stopwatch.GetElapsedTime(start)); }
    }

    /// <summary>Runs <paramref name="phase"/> and adds its time to <paramref name="name"/>.</summary>
    public void Time(string name, Action phase) => Time(name, () => { phase(); return 0; });

    public override string ToString() => string.Join(", ", _phases.Select(p =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Name} {p.Time.TotalSeconds:0.0} s")));
}
