using TorchSharp;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llava;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>Captured rows (SDPA forward + eager row from the cache) equal a naive full eager forward without cache.</summary>
public sealed class CaptureParityTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(2, CaptureQuery.AnswerStep2)]
    [InlineData(2, CaptureQuery.LastPrompt)]
    [InlineData(4, CaptureQuery.AnswerStep2)]
    [InlineData(4, CaptureQuery.LastPrompt)]
    public void CapturedRowsEqualNaiveEagerReference(int kvHeads, CaptureQuery query)
    {
        var model = TinyModels.Model(kvHeads).Model;
        using var pixels = TinyModels.Pixels();
        var result = model.Generate(TinyModels.Prompt, pixels, 4, null, query);

        int t = result.InputIds.Length;
        Assert.Equal(22, t);
        Assert.Equal(query == CaptureQuery.AnswerStep2 ? t + 1 : t, result.KeyCount);
        Assert.Equal(result.Layers * result.Heads * result.KeyCount, result.Rows!.Length);
        Assert.True(result.Rows.Max() > 3.0 / result.KeyCount, "tiny model attention is near-uniform; the parity check would be weak");
        AssertRowsMatchReference(model, pixels, result, query);
    }

    [Fact]
    public void FirstTokenEosStillCapturesAnswerStep2()
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels();
        int first = model.Generate(TinyModels.Prompt, pixels, 1, null, null).FirstTokenId;

        var result = model.Generate(TinyModels.Prompt, pixels, 5, first, CaptureQuery.AnswerStep2);

        Assert.Empty(result.GeneratedIds);
        Assert.Equal(first, result.FirstTokenId);
        Assert.NotNull(result.Rows);
        AssertRowsMatchReference(model, pixels, result, CaptureQuery.AnswerStep2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ShortBudgetStillRunsStepTwoForCapture(int maxNewTokens)
    {
        var model = TinyModels.Model(4).Model;
        using var pixels = TinyModels.Pixels();
        var result = model.Generate(TinyModels.Prompt, pixels, maxNewTokens, null, CaptureQuery.AnswerStep2);

        Assert.Equal(maxNewTokens, result.GeneratedIds.Length);
        Assert.Equal(result.InputIds.Length + 1, result.KeyCount);
        AssertRowsMatchReference(model, pixels, result, CaptureQuery.AnswerStep2);
    }

    [Fact]
    public void NoCaptureReturnsNoRowsAndSameTokens()
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels();
        var plain = model.Generate(TinyModels.Prompt, pixels, 4, null, null);
        var captured = model.Generate(TinyModels.Prompt, pixels, 4, null, CaptureQuery.AnswerStep2);

        Assert.Null(plain.Rows);
        Assert.Equal(0, plain.KeyCount);
        Assert.Equal(captured.GeneratedIds, plain.GeneratedIds);
        Assert.Equal(3, plain.ImageStart);
        Assert.Equal(16, plain.ImageTokenCount);
    }

    /// <summary>Reference: full sequence, eager attention with causal mask, no cache; row of the captured query.</summary>
    private static void AssertRowsMatchReference(LlavaForConditionalGeneration model, Tensor pixels, GenerationResult result, CaptureQuery query)
    {
        long[] ids = query == CaptureQuery.AnswerStep2 ? [.. TinyModels.Prompt, result.FirstTokenId] : TinyModels.Prompt;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = model.forward(new LlavaForwardInput(ids, pixels, OutputAttentions: true));
        var attentions = output.Attentions!;                                  // (L, 1, h, T, T)
        int queryIndex = result.KeyCount - 1;
        var reference = attentions.select(1, 0).select(2, queryIndex)        // (L, h, T)
            .narrow(2, 0, result.KeyCount).contiguous().data<float>().ToArray();

        Assert.Equal(reference.Length, result.Rows!.Length);
        double maxDiff = reference.Zip(result.Rows).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxDiff <= Tolerance, $"max |captured - reference| = {maxDiff}");
        for (int row = 0; row < result.Layers * result.Heads; row++)
        {
            double sum = result.Rows.AsSpan(row * result.KeyCount, result.KeyCount).ToArray().Sum(v => (double)v);
            Assert.True(Math.Abs(sum - 1) <= Tolerance, $"row {row} sums to {sum}");
        }
    }
}
