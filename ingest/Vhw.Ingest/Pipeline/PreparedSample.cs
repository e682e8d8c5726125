using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Processing;

namespace Vhw.Ingest.Pipeline;

/// <summary>A benchmark sample ready to generate: its prompt, prompt ids (one image placeholder) and preprocessed image.</summary>
/// <param name="RegionPatches">Patch indices inside the sample's box, or null without a box.</param>
sealed record PreparedSample(
    BenchmarkSample Source, string Prompt, long[] Ids, ProcessedImage Image, IReadOnlyList<int>? RegionPatches, string RunId, string BenchmarkDir)
{
    public RejectRow Reject(string field, string reason) => RejectOf(Source, RunId, BenchmarkDir, field, reason);

    public static RejectRow RejectOf(BenchmarkSample s, string runId, string benchmarkDir, string field, string reason) => new()
    {
        RunId = runId, SourceFile = s.SourceFile ?? BenchmarkReader.QuestionsPath(benchmarkDir), Line = s.Line, SampleId = s.Id,
        Field = field, Reason = reason,
    };
}
