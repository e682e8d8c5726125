using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vhw.Ingest.Benchmarks;
using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Ingest.Tests.Benchmarks;

public sealed class SyntheticBenchmarkTests : IDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vhw-syn-");

    public void Dispose() => _dir.Delete(recursive: true);

    string Sub(string name) => Path.Combine(_dir.FullName, name);

    static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    [Fact]
    public void Same_seed_gives_the_same_bytes()
    {
        SyntheticBenchmark.Write(Sub("a"), 12, seed: 7);
        SyntheticBenchmark.Write(Sub("b"), 12, seed: 7);
        SyntheticBenchmark.Write(Sub("c"), 12, seed: 8);
        var a = Files(Sub("a"));
        var b = Files(Sub("b"));
        Assert.Equal(13, a.Count); // questions.jsonl + 12 images
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.Equal(kv.Value, b[kv.Key]));
        Assert.NotEqual(a["questions.jsonl"], File.ReadAllBytes(Path.Combine(Sub("c"), "questions.jsonl")));
    }

    [Fact]
    public void Answers_are_balanced_and_every_third_sample_has_a_box()
    {
        var samples = SyntheticBenchmark.Write(Sub("s"), 60, seed: 1);
        Assert.Equal(30, samples.Count(s => s.Answer == "Yes"));
        Assert.Equal(30, samples.Count(s => s.Answer == "No"));
        Assert.All(samples.Select((s, i) => (s, i)), x => Assert.Equal(x.i % 3 == 2, x.s.Box is not null));
        Assert.All(samples, s => Assert.EndsWith("\nAnswer the question using a single word or phrase.", s.Question));
        Assert.Contains(samples, s => s.Box is not null && s.Answer == "Yes");
        Assert.Contains(samples, s => s.Box is not null && s.Answer == "No");

        var read = BenchmarkReader.Read(Sub("s")).ToList();
        Assert.Equal(60, read.OfType<BenchmarkSample>().Count());
        Assert.Empty(read.OfType<BenchmarkReject>());
    }

    [Fact]
    public void Region_questions_describe_the_boxed_shape()
    {
        var colours = new Dictionary<string, Rgb24>();
        foreach (var s in SyntheticBenchmark.Write(Sub("r"), 30, seed: 3).Where(s => s.Box is not null))
        {
            using var img = Image.Load<Rgb24>(Path.Combine(Sub("r"), s.ImagePath));
            Assert.Equal((32, 32), (img.Width, img.Height));
            var centre = img[(int)(s.Box![0] + s.Box[2]) / 2, (int)(s.Box[1] + s.Box[3]) / 2];
            Assert.NotEqual(new Rgb24(16, 16, 24), centre); // an object is in the box
            string colour = s.Question.Split(' ', '?')[6];  // "Is the {shape} in the box {colour}?"
            if (s.Answer == "Yes")
            {
                if (colours.TryGetValue(colour, out var known)) Assert.Equal(known, centre);
                colours[colour] = centre;
            }
        }
        Assert.NotEmpty(colours);
    }

    [Fact]
    public void Tiny_tokenizer_from_the_vocabulary_encodes_every_prompt_in_whole_words()
    {
        TinyTokenizerWriter.Write(Sub("tok"), SyntheticBenchmark.Vocabulary.Concat(ConversationTemplate.Vicuna.CorpusText()));
        var tok = LlavaTokenizer.Load(Sub("tok"));
        foreach (var s in SyntheticBenchmark.Write(Sub("p"), 24, seed: 9))
        {
            var ids = tok.Encode(ConversationTemplate.Vicuna.Format(s.Question), addBos: true);
            Assert.Single(ids, id => id == tok.ImageTokenId);
            var tokens = ids.Select(id => tok.IdToToken(id)!).ToList();
            // whole words only: no byte fallback, no single letters (except the "s" of "human's")
            Assert.All(tokens.Where((t, i) => t.StartsWith("<0x") || (t.Length == 1 && char.IsLetter(t[0]) && tokens[i - 1] != "'")), t => Assert.Fail(t));
            Assert.InRange(ids.Length, 40, 70); // fits the tiny model's context with 16 image tokens
        }
    }

    [Fact]
    public void Vocabulary_covers_every_question_word()
    {
        var vocab = SyntheticBenchmark.Vocabulary.SelectMany(v => v.Split(' ', '?', '.', '\n')).ToHashSet();
        var samples = SyntheticBenchmark.Write(Sub("v"), 24, seed: 5);
        foreach (var word in samples.SelectMany(s => (s.Question + " " + s.Answer).Split(' ', '?', '.', '\n')).Where(w => w.Length > 0))
            Assert.Contains(word, vocab);
    }
}
