using TorchSharp;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Clip;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;
using static TorchSharp.torch;

namespace Vhw.Zoo.Training;

/// <summary>One tokenised sample: prompt ids (one image placeholder), answer ids ending with EOS, and its image row in the feature cache.</summary>
public sealed record EncodedSample(int[] PromptIds, int[] AnswerIds, int ImageIndex, string Benchmark);

/// <summary>
/// A benchmark folder made ready for training: samples tokenised with the family's conversation template and the
/// frozen vision tower's patch features (N, P, C_vision) computed once and cached next to the run (raw float32).
/// </summary>
public sealed class TrainSet(IReadOnlyList<EncodedSample> samples, Tensor features) : IDisposable
{
    public IReadOnlyList<EncodedSample> Samples { get; } = samples;
    /// <summary>(N images, P patches, C_vision) float32.</summary>
    public Tensor Features { get; } = features;

    public static TrainSet Load(string folder, LlavaTokenizer tokenizer, ConversationTemplate template, Func<string, Tensor> features)
    {
        var samples = BenchmarkReader.Read(folder).OfType<BenchmarkSample>().ToList();
        var encoded = samples.Select((s, i) => Encode(tokenizer, template, s.Question, s.Answer, i, Data.ZooDataset.BenchmarkOf(s.Id))).ToList();
        return new TrainSet(encoded, features(folder));
    }

    /// <summary>
    /// Tokenises prompt + " " + answer as one text (so the answer gets the tokenisation it has after "ASSISTANT:") and
    /// checks that it starts with the prompt's own ids; the answer ids are the rest, plus EOS.
    /// </summary>
    public static EncodedSample Encode(LlavaTokenizer tokenizer, ConversationTemplate template, string question, string answer, int imageIndex, string benchmark)
    {
        string prompt = template.Format(question);
        int[] promptIds = tokenizer.Encode(prompt, addBos: true);
        int[] full = tokenizer.Encode(prompt + " " + answer, addBos: true);
        if (full.Length <= promptIds.Length || !full.AsSpan(0, promptIds.Length).SequenceEqual(promptIds))
            throw new InvalidOperationException($"answer '{answer}' does not tokenise as a continuation of the prompt");
        return new EncodedSample(promptIds, [.. full[promptIds.Length..], tokenizer.EosId], imageIndex, benchmark);
    }

    /// <summary>Patch features of every image of a benchmark folder (preprocessed as ingest does), cached in <paramref name="cacheFile"/>.</summary>
    public static Tensor ComputeFeatures(string folder, ClipImageProcessor processor, ClipVisionModel tower, int hiddenStateIndex, string cacheFile)
    {
        if (File.Exists(cacheFile)) return ReadCache(cacheFile);
        var samples = BenchmarkReader.Read(folder).OfType<BenchmarkSample>().ToList();
        Tensor? result = null;
        using (no_grad())
        {
            var chunks = new List<Tensor>();
            foreach (var chunk in samples.Chunk(256))
            {
                var pixels = chunk.Select(s => processor.Preprocess(Path.Combine(folder, s.ImagePath))).ToList();
                int h = pixels[0].Height, w = pixels[0].Width;
                using var scope = NewDisposeScope();
                var x = tensor(pixels.SelectMany(p => p.Pixels).ToArray(), [pixels.Count, 3, h, w]);
                var hs = tower.forward(x, hiddenStateIndex);                              // (b, 1 + P, C)
                chunks.Add(hs.narrow(1, 1, hs.shape[1] - 1).contiguous().MoveToOuterDisposeScope()); // (b, P, C)
            }
            result = cat(chunks, 0);
            foreach (var c in chunks) c.Dispose();
        }
        WriteCache(cacheFile, result);
        return result;
    }

    static void WriteCache(string file, Tensor t)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        string tmp = file + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            w.Write(t.shape.Length);
            foreach (long d in t.shape) w.Write(d);
            var data = t.data<float>().ToArray();
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            w.Write(bytes);
        }
        File.Move(tmp, file, overwrite: true);
    }

    static Tensor ReadCache(string file)
    {
        using var r = new BinaryReader(File.OpenRead(file));
        var shape = new long[r.ReadInt32()];
        for (int i = 0; i < shape.Length; i++) shape[i] = r.ReadInt64();
        var bytes = r.ReadBytes(checked((int)(shape.Aggregate(1L, (a, b) => a * b) * 4)));
        var data = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        return tensor(data, shape);
    }

    public void Dispose() => Features.Dispose();
}
