using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vhw.Zoo.Findings;

/// <summary>A known miss of a must-show bar: which member, benchmark and bar (<see cref="BarCheck.Bar"/>'s text) and the accuracy measured.</summary>
public sealed record Shortfall(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("benchmark")] string Benchmark,
    [property: JsonPropertyName("bar")] string Bar,
    [property: JsonPropertyName("measured")] double Measured,
    [property: JsonPropertyName("note")] string? Note = null);

/// <summary>
/// zoo/models/shortfalls.json: the bars the shipped members are known to miss. Bars are not lowered and misses not
/// hidden; the list has to stay true: <see cref="Reconcile"/> reports every unlisted miss, every listed miss that now
/// meets its bar, every entry that names no measured bar or repeats one, and every entry whose measured value is off by more than the tolerance.
/// </summary>
public static class Shortfalls
{
    public const string FileName = "shortfalls.json";

    /// <summary>How far a listed miss's measured accuracy may be from today's: 3 of the default 100 samples (another CPU or
    /// BLAS may flip a near-tie greedy answer; a bigger change means the entry is stale).</summary>
    public const double Tolerance = 0.03;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<Shortfall> Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<Shortfall>>(File.ReadAllText(path)) ?? [] : [];

    public static string Serialize(IEnumerable<Shortfall> shortfalls) => JsonSerializer.Serialize(shortfalls.ToList(), Json) + "\n";

    /// <summary>The misses of <paramref name="checks"/> as entries (to write the file from a measurement).</summary>
    public static IReadOnlyList<Shortfall> Of(IEnumerable<BarCheck> checks) =>
        checks.Where(c => !c.Met).Select(c => new Shortfall(c.Model, c.Benchmark, c.Bar, Math.Round(c.Measured, 4))).ToList();

    /// <summary>
    /// The file's new content after a remeasurement (a retrained zoo): every miss of <paramref name="checks"/>, in their
    /// order. A miss keeps the note of its listed entry when that entry's measured value is within
    /// <paramref name="tolerance"/> of today's (a note may quote numbers); otherwise it has no note, to be written by hand.
    /// </summary>
    public static IReadOnlyList<Shortfall> Refresh(IReadOnlyList<BarCheck> checks, IReadOnlyList<Shortfall> listed, double tolerance)
    {
        var notes = listed.GroupBy(s => (s.Model, s.Benchmark, s.Bar)).ToDictionary(g => g.Key, g => g.First());
        return Of(checks).Select(miss =>
            notes.TryGetValue((miss.Model, miss.Benchmark, miss.Bar), out var old) && Math.Abs(old.Measured - miss.Measured) <= tolerance
                ? miss with { Note = old.Note }
                : miss).ToList();
    }

    /// <summary>Every way <paramref name="listed"/> and the measured <paramref name="checks"/> disagree; empty when the file is true.</summary>
    public static IReadOnlyList<string> Reconcile(IReadOnlyList<BarCheck> checks, IReadOnlyList<Shortfall> listed, double tolerance)
    {
        static string Key(string model, string benchmark, string bar) => $"{model} | {benchmark} | {bar}";
        var byKey = checks.ToDictionary(c => Key(c.Model, c.Benchmark, c.Bar), StringComparer.Ordinal);
        var listedKeys = listed.Select(s => Key(s.Model, s.Benchmark, s.Bar)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        string M(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var c in checks.Where(c => !c.Met && !listedKeys.Contains(Key(c.Model, c.Benchmark, c.Bar))))
            problems.Add($"unlisted miss: {Key(c.Model, c.Benchmark, c.Bar)}: measured {M(c.Measured)}");
        foreach (var duplicate in listed.GroupBy(s => Key(s.Model, s.Benchmark, s.Bar)).Where(g => g.Count() > 1))
            problems.Add($"listed {duplicate.Count()} times: {duplicate.Key}");
        foreach (var s in listed)
        {
            string key = Key(s.Model, s.Benchmark, s.Bar);
            if (!byKey.TryGetValue(key, out var c)) problems.Add($"listed but not measured (no such member or bar): {key}");
            else if (c.Met) problems.Add($"listed miss now meets its bar: {key}: measured {M(c.Measured)}");
            else if (Math.Abs(c.Measured - s.Measured) > tolerance) problems.Add($"listed measured {M(s.Measured)} but measured {M(c.Measured)}: {key}");
        }
        return problems;
    }
}
