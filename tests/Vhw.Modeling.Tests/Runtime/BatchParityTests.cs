using Vhw.Modeling.Ablation;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Tests.Fidelity;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>
/// A left-padded batch (prompts of different lengths) gives every sample what batch size 1 gives it: the same tokens
/// and the same captured rows over its own keys, for MHA, GQA and a sliding window shorter than the prompts.
/// </summary>
public sealed class BatchParityTests
{
    private const double Tolerance = 1e-5;
    private const int Window = 6;
    private static readonly Lazy<LlavaForConditionalGeneration> Windowed = new(() => SlidingWindowTests.TinyMistral(2, Window));

    /// <summary>Four prompts: 22, 19, 28 and 22 positions after image expansion (the last two are the longest and a tie).</summary>
    private static readonly long[][] Prompts =
    [
        TinyModels.Prompt,
        [1, 5, TinyModels.ImageToken, 8],
        [1, 17, 42, 55, 66, 77, 88, TinyModels.ImageToken, 99, 123, 7, 11, 13],
        [1, 9, 8, 7, TinyModels.ImageToken, 6, 5],
    ];

    public static TheoryData<string, CaptureQuery> Families() => new()
    {
        { "mha", CaptureQuery.AnswerStep2 }, { "mha", CaptureQuery.LastPrompt },
        { "gqa", CaptureQuery.AnswerStep2 }, { "gqa", CaptureQuery.LastPrompt },
        { "window", CaptureQuery.AnswerStep2 }, { "window", CaptureQuery.LastPrompt },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void PaddedBatchEqualsBatchOfOne(string family, CaptureQuery query)
    {
        var model = Model(family);
        using var pixels = BatchPixels(Prompts.Length);
        var batch = model.GenerateBatch(Prompts, pixels, 4, null, query);

        Assert.Equal(3, batch.Select(r => r.InputIds.Length).Distinct().Count());
        for (int i = 0; i < Prompts.Length; i++)
        {
            using var one = pixels.narrow(0, i, 1);
            AssertSame(model.Generate(Prompts[i], one, 4, null, query), batch[i], $"{family} sample {i}");
        }
        Assert.True(batch.SelectMany(r => r.GeneratedIds).Distinct().Count() > 2, "degenerate output makes the check weak");
        if (family == "window")
            Assert.True(batch.All(r => r.KeyCount > Window), "the window must be shorter than every prompt");
    }

    [Theory]
    [InlineData(CaptureQuery.AnswerStep2)]
    [InlineData(CaptureQuery.LastPrompt)]
    public void BatchOfOneEqualsGreedyDecoder(CaptureQuery query)
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels();
        var single = model.Generate(TinyModels.Prompt, pixels, 4, null, query);
        var batch = Assert.Single(model.GenerateBatch([TinyModels.Prompt], pixels, 4, null, query));

        Assert.Equal(single.GeneratedIds, batch.GeneratedIds);
        Assert.Equal(single.Rows, batch.Rows);
        Assert.Equal(single.KeyCount, batch.KeyCount);
    }

    [Fact]
    public void RowsStopAtTheirOwnEos()
    {
        var model = TinyModels.Model(4).Model;
        using var pixels = BatchPixels(Prompts.Length);
        using (var first = pixels.narrow(0, 0, 1))
        {
            long eos = model.Generate(Prompts[0], first, 1, null, null).FirstTokenId;   // sample 0 stops at once
            var batch = model.GenerateBatch(Prompts, pixels, 6, eos, CaptureQuery.AnswerStep2);
            Assert.Empty(batch[0].GeneratedIds);
            Assert.Contains(batch, r => r.GeneratedIds.Length > 0);
            for (int i = 0; i < Prompts.Length; i++)
            {
                using var one = pixels.narrow(0, i, 1);
                AssertSame(model.Generate(Prompts[i], one, 6, eos, CaptureQuery.AnswerStep2), batch[i], $"sample {i}");
            }
        }
    }

    [Theory]
    [InlineData("gqa", HeadAblationMode.Maskout)]
    [InlineData("gqa", HeadAblationMode.ZeroOutput)]
    [InlineData("window", HeadAblationMode.Maskout)]
    public void AblatedBatchEqualsBatchOfOne(string family, HeadAblationMode mode)
    {
        var model = Model(family);
        var ablation = new HeadAblation(mode, [new HeadRef(0, 1), new HeadRef(1, 2), new HeadRef(3, 0)]);
        using var pixels = BatchPixels(Prompts.Length);
        var batch = model.GenerateBatch(Prompts, pixels, 3, null, CaptureQuery.AnswerStep2, ablation);
        for (int i = 0; i < Prompts.Length; i++)
        {
            using var one = pixels.narrow(0, i, 1);
            AssertSame(model.Generate(Prompts[i], one, 3, null, CaptureQuery.AnswerStep2, ablation), batch[i], $"{family} {mode} sample {i}");
        }
        if (mode == HeadAblationMode.Maskout)   // the removed head is uniform over the sample's own keys, pads excluded
            Assert.All(batch, r => Assert.All(r.Rows!.AsSpan((1 * r.Heads + 2) * r.KeyCount, r.KeyCount).ToArray(),
                v => Assert.Equal(1.0 / r.KeyCount, v, 1e-6)));
    }

    [Fact]
    public void PixelBatchMustMatchPromptCount()
    {
        using var pixels = BatchPixels(2);
        var e = Assert.Throws<ArgumentException>(() => TinyModels.Model(2).Model.GenerateBatch(Prompts, pixels, 1, null, null));
        Assert.Contains("4 prompts", e.Message);
    }

    private static LlavaForConditionalGeneration Model(string family) => family switch
    {
        "mha" => TinyModels.Model(4).Model,
        "gqa" => TinyModels.Model(2).Model,
        _ => Windowed.Value,
    };

    /// <summary>(B, 3, 32, 32): sample i gets <see cref="TinyModels.Pixels"/> with seed 3 + i.</summary>
    private static Tensor BatchPixels(int b)
    {
        using var scope = NewDisposeScope();
        return cat(Enumerable.Range(0, b).Select(i => TinyModels.Pixels(3 + i)).ToList(), 0).MoveToOuterDisposeScope();
    }

    private static void AssertSame(GenerationResult expected, GenerationResult actual, string what)
    {
        Assert.Equal(expected.InputIds, actual.InputIds);
        Assert.Equal(expected.ImageStart, actual.ImageStart);
        Assert.Equal(expected.FirstTokenId, actual.FirstTokenId);
        Assert.Equal(expected.GeneratedIds, actual.GeneratedIds);
        Assert.Equal(expected.KeyCount, actual.KeyCount);
        Assert.Equal(expected.Rows is null, actual.Rows is null);
        if (expected.Rows is null) return;
        Assert.Equal(expected.Rows.Length, actual.Rows!.Length);
        double diff = expected.Rows.Zip(actual.Rows).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(diff <= Tolerance, $"{what}: max |batch − batch 1| = {diff}");
    }
}
