using System.Collections.Concurrent;
using System.Text.Json;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests.Golden;

/// <summary>
/// One golden fixture under tests/fixtures/golden/&lt;name&gt;/ (written by tools/golden/make_cpu_golden.py or
/// make_golden.py; see docs/fidelity.md): the checkpoint, loaded with the normal loader, and what the reference produced.
/// </summary>
internal sealed class GoldenFixture
{
    /// <summary>The fixtures the CPU reference driver writes; every one must be present (a missing folder fails, never skips).</summary>
    public static readonly string[] CpuReferenceNames = ["llava-vicuna-mha", "llava-llama3-gqa", "llava-mistral-swa", "llava-phi3-fused"];

    /// <summary>The CPU-reference fixtures plus every hf-* fixture written by tools/golden/make_golden.py (none until a session runs it).</summary>
    public static string[] AllNames =>
        [.. CpuReferenceNames, .. Directory.GetDirectories(Root, "hf-*").Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    private static readonly ConcurrentDictionary<string, Lazy<GoldenFixture>> Cache = new(StringComparer.Ordinal);

    private GoldenFixture(string name)
    {
        Name = name;
        Folder = Path.Combine(Root, name);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        var e = doc.RootElement;
        PromptIds = e.GetProperty("prompt_ids").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        ImageStart = e.GetProperty("image_start").GetInt32();
        ImageTokenCount = e.GetProperty("image_token_count").GetInt32();
        SequenceLength = e.GetProperty("sequence_length").GetInt32();
        MaxNewTokens = e.GetProperty("max_new_tokens").GetInt32();
        GreedyTokens = e.GetProperty("greedy_tokens").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        LogitsTolerance = e.GetProperty("tolerances").GetProperty("logits").GetDouble();
        RowsTolerance = e.GetProperty("tolerances").GetProperty("attention_rows").GetDouble();
        using var file = new SafeTensorsFile(Path.Combine(Folder, "expected.safetensors"));
        Pixels = file.Read("pixel_values").DetachFromDisposeScope();
        Logits = file.Read("logits").DetachFromDisposeScope();
        RowsLastPrompt = file.Read("rows_last_prompt").DetachFromDisposeScope();
        RowsAnswerStep2 = file.Read("rows_answer_step2").DetachFromDisposeScope();
        Loaded = LlavaCheckpoint.Load(Folder);
    }

    /// <summary>tests/fixtures/golden as copied next to the test assembly.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "fixtures", "golden");

    public string Name { get; }
    public string Folder { get; }
    public long[] PromptIds { get; }
    public int ImageStart { get; }
    public int ImageTokenCount { get; }
    public int SequenceLength { get; }
    public int MaxNewTokens { get; }
    public int[] GreedyTokens { get; }
    public double LogitsTolerance { get; }
    public double RowsTolerance { get; }

    /// <summary>(1, 3, H, W) fixed pixel values.</summary>
    public Tensor Pixels { get; }

    /// <summary>(T, V) logits of the prompt forward.</summary>
    public Tensor Logits { get; }

    /// <summary>(L, h, T) rows of the last prompt position.</summary>
    public Tensor RowsLastPrompt { get; }

    /// <summary>(L, h, T + 1) rows of the first answer token fed back.</summary>
    public Tensor RowsAnswerStep2 { get; }

    /// <summary>The checkpoint loaded by <see cref="LlavaCheckpoint.Load"/>; shared, do not dispose.</summary>
    public LoadedLlava Loaded { get; }

    /// <summary>The fixture, loaded once per test run.</summary>
    public static GoldenFixture Get(string name) => Cache.GetOrAdd(name, n => new Lazy<GoldenFixture>(() => new GoldenFixture(n))).Value;

    /// <summary>Largest absolute difference between <paramref name="actual"/> (any shape with the same element order) and <paramref name="expected"/>.</summary>
    public static double MaxDiff(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.numel(), actual.numel());
        using var scope = NewDisposeScope();
        return (expected.reshape(-1) - actual.to(ScalarType.Float32).reshape(-1)).abs().max().item<float>();
    }
}
