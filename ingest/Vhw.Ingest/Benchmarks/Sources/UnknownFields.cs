using System.Text.Json;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>Reports each unknown field or column of a file once, at its first line, as an "ignored" reject.</summary>
public sealed class UnknownFields(string sourceFile, IReadOnlySet<string> known)
{
    readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public IEnumerable<BenchmarkReject> Check(JsonElement row, int line, string? sampleId)
    {
        if (row.ValueKind != JsonValueKind.Object) yield break;
        foreach (var p in row.EnumerateObject())
            if (Report(p.Name, line, sampleId) is { } r) yield return r;
    }

    public BenchmarkReject? Report(string name, int line, string? sampleId) =>
        known.Contains(name) || !_reported.Add(name) ? null
            : new BenchmarkReject(sourceFile, line, sampleId, name, $"unknown field '{name}' (first seen here), ignored; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
}
