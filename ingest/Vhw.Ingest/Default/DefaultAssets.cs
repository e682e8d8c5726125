using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Default;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Ingest.Default;

/// <summary>
/// The embedded default: a seeded random-init tiny LLaVA (HF folder format, loaded back through the
/// normal loader) and a synthetic yes/no benchmark (questions.jsonl + images/). Deterministic: the
/// same seed gives the same bytes.
/// </summary>
public static class DefaultAssets
{
    public const string ModelName = "tiny-llava-vicuna";
    public const string BenchmarkName = "synthetic-pope";

    public sealed record Paths(string ModelDir, string BenchmarkDir);

    public static Paths Locate(string outDir) =>
        new(Path.Combine(outDir, "models", ModelName), Path.Combine(outDir, "benchmarks", BenchmarkName));

    public static Paths Create(string outDir, int seed = 1234, int samples = 200)
    {
        var paths = Locate(outDir);
        SyntheticBenchmark.Write(paths.BenchmarkDir, samples, seed);

        Directory.CreateDirectory(paths.ModelDir);
        var corpus = SyntheticBenchmark.Vocabulary.Concat(ConversationTemplate.Vicuna.CorpusText());
        TinyTokenizerWriter.Write(paths.ModelDir, corpus);
        var tokenizer = LlavaTokenizer.Load(paths.ModelDir);
        TinyLlava.Create(paths.ModelDir, new TinyLlavaSpec
        {
            VocabSize = tokenizer.VocabSize,
            ImageTokenIndex = tokenizer.ImageTokenId,
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
            Seed = seed,
        });
        return paths;
    }
}
