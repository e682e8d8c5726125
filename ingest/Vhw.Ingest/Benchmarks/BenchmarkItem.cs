namespace Vhw.Ingest.Benchmarks;

/// <summary>One line of a benchmark's questions.jsonl: a usable sample or a reject.</summary>
public abstract record BenchmarkItem;

/// <summary>A valid line.</summary>
/// <param name="ImagePath">As written in the file: relative to the benchmark folder, '/'-separated (e.g. images/000.png).</param>
/// <param name="Box">(x0, y0, x1, y1) in source-image pixels, x1 &gt; x0 and y1 &gt; y0; null when absent.</param>
/// <param name="Line">1-based line number in questions.jsonl.</param>
public sealed record BenchmarkSample(string Id, string ImagePath, string Question, string Answer, float[]? Box, string? Task, int Line) : BenchmarkItem;

/// <summary>A line that could not be used; <paramref name="Field"/> is the JSON field at fault, or "json" for unparseable lines.</summary>
public sealed record BenchmarkReject(string SourceFile, int Line, string? SampleId, string Field, string Reason) : BenchmarkItem;
