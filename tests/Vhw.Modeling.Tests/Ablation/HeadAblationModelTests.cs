using TorchSharp;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Functional;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llava;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests.Ablation;

/// <summary>Maskout against the authors' literal operation, and head ablation through the whole tiny LLaVA.</summary>
public sealed class HeadAblationModelTests
{
    [Fact]
    public void Maskout_equals_setting_the_heads_logits_to_zero_after_the_causal_mask_on_both_attention_paths()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        var q = randn([1, 4, 5, 8], generator: generator);
        var k = randn([1, 4, 5, 8], generator: generator);
        var v = randn([1, 4, 5, 8], generator: generator);
        var causal = EagerAttention.CausalMask(5, 5, ScalarType.Float32, CPU);                  // (5, 5)
        double scaling = 1 / Math.Sqrt(8);
        long[] removed = [1, 3];

        // authors: attn_weights = q·kᵀ·scaling + causal_mask; attn_weights[:, heads] = 0; softmax; @ v
        var logits = matmul(q, k.transpose(2, 3)) * scaling + causal;                            // (1, 4, 5, 5)
        var selected = tensor(new[] { false, true, false, true }, [1, 4, 1, 1]);
        var literal = logits.masked_fill(selected, 0).softmax(-1);
        var literalOut = matmul(literal, v);

        var (qm, mask) = HeadMaskout.Apply(q, causal, removed);
        var (eagerOut, eagerWeights) = EagerAttention.Forward(qm, k, v, mask, scaling);
        var sdpaOut = nn.functional.scaled_dot_product_attention(qm, k, v, attn_mask: mask);
        Assert.True((eagerWeights - literal).abs().max().item<float>() < 1e-7);
        Assert.True((eagerOut - literalOut).abs().max().item<float>() < 1e-6);
        Assert.True((sdpaOut - literalOut).abs().max().item<float>() < 1e-6);
        Assert.True(TinyModels.Same(eagerWeights.select(1, 0), EagerAttention.Weights(q, k, causal, scaling).select(1, 0)));
    }

    [Theory]
    [InlineData(HeadAblationMode.Maskout)]
    [InlineData(HeadAblationMode.ZeroOutput)]
    public void An_empty_selection_reproduces_the_unablated_generation_exactly(HeadAblationMode mode)
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels(5);
        var plain = model.Generate(TinyModels.Prompt, pixels, 6, null, CaptureQuery.AnswerStep2);
        var empty = model.Generate(TinyModels.Prompt, pixels, 6, null, CaptureQuery.AnswerStep2, new HeadAblation(mode, []));
        Assert.Equal(plain.GeneratedIds, empty.GeneratedIds);
        Assert.Equal(plain.Rows, empty.Rows);
    }

    [Fact]
    public void Sdpa_and_eager_forwards_agree_under_maskout_and_the_ablation_changes_the_logits()
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ablation = new HeadAblation(HeadAblationMode.Maskout, [new(0, 1), new(1, 0), new(1, 3), new(3, 2)]);
        var plain = model.forward(new LlavaForwardInput(TinyModels.Prompt, pixels)).Logits;
        var fast = model.forward(new LlavaForwardInput(TinyModels.Prompt, pixels, Ablation: ablation)).Logits;
        var eager = model.forward(new LlavaForwardInput(TinyModels.Prompt, pixels, OutputAttentions: true, Ablation: ablation));

        Assert.True((fast - eager.Logits).abs().max().item<float>() < 1e-4);
        Assert.True((fast - plain).abs().max().item<float>() > 1e-3, "ablating 4 of 16 heads left the logits unchanged");
        var weights = eager.Attentions!;                                                           // (L, 1, h, T, T)
        int t = (int)weights.shape[^1];
        Assert.True((weights[3, 0, 2] - 1.0f / t).abs().max().item<float>() < 1e-7, "removed head is not uniform over all keys");
        Assert.True(weights[3, 0, 1].triu(1).abs().max().item<float>() == 0, "a kept head attends to the future");
    }

    [Fact]
    public void Zero_output_generation_with_cache_equals_recomputing_the_whole_sequence_each_step()
    {
        // zero_output keeps attention causal, so the KV cache is exact. (Maskout is not causal: during prefill a removed
        // head averages the future prompt tokens, so its result depends on the cache schedule, as in the authors' HF generate.)
        var model = TinyModels.Model(4).Model;
        using var pixels = TinyModels.Pixels(11);
        var ablation = new HeadAblation(HeadAblationMode.ZeroOutput, [new(0, 0), new(2, 1), new(2, 3)]);
        var cached = model.Generate(TinyModels.Prompt, pixels, 6, null, null, ablation);
        var ids = TinyModels.Prompt.ToList();
        using (no_grad())
            for (int step = 0; step < 6; step++)
            {
                using var scope = NewDisposeScope();
                var logits = model.forward(new LlavaForwardInput(ids.ToArray(), pixels, Ablation: ablation)).Logits; // (1, T, V)
                ids.Add(logits.select(1, logits.shape[1] - 1).argmax(-1).item<long>());
            }
        Assert.Equal(ids.Skip(TinyModels.Prompt.Length).Select(i => (int)i), cached.GeneratedIds);
    }

    [Fact]
    public void Heads_outside_the_model_are_refused()
    {
        var model = TinyModels.Model(2).Model;
        using var pixels = TinyModels.Pixels();
        var outside = new HeadAblation(HeadAblationMode.Maskout, [new(4, 0)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Generate(TinyModels.Prompt, pixels, 2, null, null, outside));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeadAblation(HeadAblationMode.Maskout, [new(0, -1)]));
    }
}
