using Vhw.Modeling.Generation;
using Vhw.Modeling.Llava;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests.Golden;

/// <summary>
/// Our runtime against independent references (docs/fidelity.md): each fixture's checkpoint is loaded with the normal
/// loader and must give the reference's logits (≤ 1e-4), attention rows of both capture queries (≤ 1e-5, fp32), greedy
/// tokens and image-token count. The CPU fixtures come from openai/CLIP + karpathy/llama2.c via tools/golden/make_cpu_golden.py;
/// hf-* fixtures (HF transformers, tools/golden/make_golden.py) are picked up when present.
/// </summary>
public sealed class GoldenFixtureTests
{
    public static TheoryData<string> Names => new(GoldenFixture.AllNames);

    [Fact]
    public void EveryCpuReferenceFixtureIsPresent()
    {
        foreach (string name in GoldenFixture.CpuReferenceNames)
            foreach (string file in new[] { "config.json", "model.safetensors", "expected.json", "expected.safetensors" })
                Assert.True(File.Exists(Path.Combine(GoldenFixture.Root, name, file)), $"{name}/{file} is missing");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PromptLogitsMatchReference(string name)
    {
        var f = GoldenFixture.Get(name);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = f.Loaded.Model.forward(new LlavaForwardInput(f.PromptIds, f.Pixels));

        Assert.Equal(f.SequenceLength, output.ExpandedIds.Length);
        Assert.Equal(f.ImageStart, output.ImageStart);
        Assert.Equal(f.ImageTokenCount, output.ImageTokenCount);
        Assert.Equal(f.Logits.shape, output.Logits.shape[1..]);
        double diff = GoldenFixture.MaxDiff(f.Logits, output.Logits);
        Assert.True(diff <= f.LogitsTolerance, $"{name}: max |logits - reference| = {diff}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AnswerStep2RowsAndGreedyTokensMatchReference(string name)
    {
        var f = GoldenFixture.Get(name);
        var result = f.Loaded.Model.Generate(f.PromptIds, f.Pixels, f.MaxNewTokens, null, CaptureQuery.AnswerStep2);

        Assert.Equal(f.GreedyTokens, result.GeneratedIds);
        Assert.Equal(f.GreedyTokens[0], result.FirstTokenId);
        Assert.Equal(f.ImageTokenCount, result.ImageTokenCount);
        Assert.Equal(f.ImageStart, result.ImageStart);
        Assert.Equal(f.SequenceLength + 1, result.KeyCount);
        AssertRows(f, f.RowsAnswerStep2, result);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LastPromptRowsMatchReference(string name)
    {
        var f = GoldenFixture.Get(name);
        var result = f.Loaded.Model.Generate(f.PromptIds, f.Pixels, 1, null, CaptureQuery.LastPrompt);

        Assert.Equal(f.SequenceLength, result.KeyCount);
        Assert.Equal([f.GreedyTokens[0]], result.GeneratedIds);
        AssertRows(f, f.RowsLastPrompt, result);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EagerReferencePathMatchesReferenceRows(string name)
    {
        var f = GoldenFixture.Get(name);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] ids = [.. f.PromptIds, f.GreedyTokens[0]];
        var attentions = f.Loaded.Model.forward(new LlavaForwardInput(ids, f.Pixels, OutputAttentions: true)).Attentions!; // (L, 1, h, T+1, T+1)
        var last = attentions.select(1, 0).select(2, f.SequenceLength);                                                    // (L, h, T+1)
        double diff = GoldenFixture.MaxDiff(f.RowsAnswerStep2, last);
        Assert.True(diff <= f.RowsTolerance, $"{name}: eager path max |row - reference| = {diff}");
    }

    [Fact]
    public void SlidingWindowFixtureRowsAreZeroOutsideTheWindow()
    {
        var f = GoldenFixture.Get("llava-mistral-swa");
        int window = f.Loaded.Config.TextConfig.EffectiveSlidingWindow!.Value;
        Assert.True(window < f.SequenceLength, "the window must hide keys for the fixture to test it");
        var result = f.Loaded.Model.Generate(f.PromptIds, f.Pixels, 1, null, CaptureQuery.AnswerStep2);
        int keys = result.KeyCount;
        for (int row = 0; row < result.Layers * result.Heads; row++)
        {
            var span = result.Rows!.AsSpan(row * keys, keys);
            Assert.All(span[..(keys - window)].ToArray(), v => Assert.Equal(0f, v));
            Assert.True(span[(keys - window)..].ToArray().Sum() > 0.999f);
        }
        using var expected = f.RowsAnswerStep2.narrow(2, 0, keys - window);
        Assert.Equal(0f, expected.abs().max().item<float>());
    }

    private static void AssertRows(GoldenFixture f, Tensor expected, GenerationResult result)
    {
        Assert.Equal(new long[] { result.Layers, result.Heads, result.KeyCount }, expected.shape);
        using var actual = tensor(result.Rows!);
        double diff = GoldenFixture.MaxDiff(expected, actual);
        Assert.True(diff <= f.RowsTolerance, $"{f.Name}: max |row - reference| = {diff}");
        Assert.True(result.Rows!.Max() > 3.0 / result.KeyCount, "reference rows are near-uniform; the check would be weak");
    }
}
