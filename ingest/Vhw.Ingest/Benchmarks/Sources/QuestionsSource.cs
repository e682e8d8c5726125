using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>The project's own format: a folder with questions.jsonl and images/ (<see cref="BenchmarkReader"/>).</summary>
public sealed class QuestionsSource(string folder) : IBenchmarkSource
{
    public string Root { get; } = Path.GetFullPath(folder);
    public string Name => Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar));
    public BenchmarkKind Kind => BenchmarkKind.Questions;
    public IReadOnlyList<string> Files => [BenchmarkReader.QuestionsPath(Root)];
    public string Settings => "";

    /// <summary>The reader's items; a sample's task is also its category for the score breakdown.</summary>
    public IEnumerable<BenchmarkItem> Read() =>
        BenchmarkReader.Read(Root).Select(item => item is BenchmarkSample s ? s with { Category = s.Task, SourceFile = Files[0] } : item);
}
