using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks;

/// <summary>One row of a benchmark source: a usable sample or a reject.</summary>
public abstract record BenchmarkItem;

/// <summary>A valid row (for multiple choice with circular evaluation: one rotation of the options).</summary>
/// <param name="Id">Unique within the benchmark (POPE: "{split}-{question_id}"; circular round r &gt; 0: "{id}-r{r}").</param>
/// <param name="ImagePath">As written in the source, '/'-separated (questions.jsonl: relative to the benchmark folder;
/// MMBench: "{tsv file}#{index}", the image is in <see cref="ImageBytes"/>).</param>
/// <param name="Question">The question text alone (questions.jsonl: with its suffix); the prompt is built from it
/// by <see cref="BenchmarkPromptStyle"/> for <see cref="Kind"/>.</param>
/// <param name="Answer">Ground truth: yes/no (POPE), an option letter (multiple choice), a short answer or count.</param>
/// <param name="Box">(x0, y0, x1, y1) in source-image pixels, x1 &gt; x0 and y1 &gt; y0; null when absent.</param>
/// <param name="Line">1-based line in <see cref="SourceFile"/> where the row starts.</param>
public sealed record BenchmarkSample(string Id, string ImagePath, string Question, string Answer, float[]? Box, string? Task, int Line) : BenchmarkItem
{
    /// <summary>The format it came from: decides the prompt and the scoring.</summary>
    public BenchmarkKind Kind { get; init; } = BenchmarkKind.Questions;

    /// <summary>Option texts in the order shown as A, B, C, D (multiple choice); null otherwise.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>MMBench's hint, prepended to the question; null when none.</summary>
    public string? Hint { get; init; }

    /// <summary>Subsets the scores are broken down by (each null when the format has none):
    /// POPE split; MMBench category / l2-category; SEED question type; Q-Bench concern / type; PointQA question type.</summary>
    public string? Split { get; init; }
    public string? Category { get; init; }
    public string? QuestionType { get; init; }

    /// <summary>The question a circular round belongs to (its round-0 id); null without rounds.</summary>
    public string? GroupId { get; init; }

    /// <summary>0 for the options as published; r for the options rotated left by r (circular evaluation).</summary>
    public int Round { get; init; }

    /// <summary>The file the row came from (for rejects); null = the benchmark folder's questions.jsonl.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Absolute path of the image after resolving it against the image roots; null = folder + <see cref="ImagePath"/>.</summary>
    public string? ResolvedImagePath { get; init; }

    /// <summary>The encoded image (PNG/JPEG…) when it comes inside the source file (MMBench base64); null otherwise.</summary>
    public byte[]? ImageBytes { get; init; }
}

/// <summary>A row that could not be used; <paramref name="Field"/> is the field or column at fault, or "json" / "row" for unparseable rows.</summary>
public sealed record BenchmarkReject(string SourceFile, int Line, string? SampleId, string Field, string Reason) : BenchmarkItem;
