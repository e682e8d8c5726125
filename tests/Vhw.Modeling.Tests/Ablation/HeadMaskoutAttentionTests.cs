using TorchSharp;
using Vhw.Modeling.Ablation;
using Vhw.Modeling.Configs;
using Vhw.Modeling.Functional;
using Vhw.Modeling.Llama;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests.Ablation;

/// <summary>
/// Head removal inside one <see cref="LlamaAttention"/> (GQA, 4 heads over 2 KV heads). o_proj is set to the identity,
/// so the module's output viewed as (B, T, nh, hd) is each head's attention output.
/// </summary>
public sealed class HeadMaskoutAttentionTests
{
    private const int T = 7, Heads = 4, KvHeads = 2, HeadDim = 16, Hidden = Heads * HeadDim, Removed = 2;
    private static readonly LlamaConfig Config = new()
    {
        HiddenSize = Hidden, NumAttentionHeads = Heads, NumKeyValueHeads = KvHeads, NumHiddenLayers = 1, IntermediateSize = 128, VocabSize = 16,
    };

    private static readonly HeadAblation MaskoutHead2 = new(HeadAblationMode.Maskout, [new HeadRef(0, Removed)]);

    [Fact]
    public void Maskout_of_one_head_changes_only_that_head_and_it_outputs_the_mean_of_all_values()
    {
        using var scope = NewDisposeScope();
        using var attention = IdentityOutputAttention(out var x, out var cos, out var sin);
        var plain = PerHead(attention.forward(new LlamaLayerInput(x, cos, sin, null, 0)).HiddenStates);          // (1, T, nh, hd)
        var ablated = PerHead(attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, Ablation: MaskoutHead2)).HiddenStates);

        for (int h = 0; h < Heads; h++)
        {
            double diff = MaxDiff(plain.select(2, h), ablated.select(2, h));
            if (h == Removed) Assert.True(diff > 1e-3, $"removed head barely changed ({diff})");
            else Assert.True(diff < 1e-6, $"head {h} changed by {diff}");
        }
        // uniform over ALL keys at every position, the first query included (it sees the future): mean of the 7 values
        var meanValue = Values(attention, x).select(2, Removed / (Heads / KvHeads)).mean([1], keepdim: true); // (1, 1, hd)
        Assert.True(MaxDiff(ablated.select(2, Removed), meanValue.expand(1, T, HeadDim)) < 1e-5);
    }

    [Fact]
    public void The_eager_reference_path_gives_uniform_weights_for_the_removed_head_and_the_same_output()
    {
        using var scope = NewDisposeScope();
        using var attention = IdentityOutputAttention(out var x, out var cos, out var sin);
        var plain = attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, OutputAttentions: true));
        var eager = attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, OutputAttentions: true, Ablation: MaskoutHead2));
        var sdpa = attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, Ablation: MaskoutHead2));

        var w = eager.Attentions!;                                                                             // (1, nh, T, Tk)
        Assert.True(MaxDiff(w.select(1, Removed), full(1, T, T, 1.0f / T)) < 1e-7);
        for (int h = 0; h < Heads; h++)
            if (h != Removed) Assert.True(TinyModels.Same(w.select(1, h), plain.Attentions!.select(1, h)), $"weights of head {h} changed");
        Assert.True(MaxDiff(eager.HiddenStates, sdpa.HiddenStates) < 1e-5, "SDPA and eager disagree under maskout");
    }

    [Fact]
    public void A_cached_decoding_step_also_sees_a_uniform_row_for_the_removed_head()
    {
        using var scope = NewDisposeScope();
        using var attention = IdentityOutputAttention(out var x, out var cos, out var sin);
        Tensor Step(HeadAblation? ablation)
        {
            using var cache = new LlamaKvCache(Config, T, ScalarType.Float32, CPU);
            attention.forward(new LlamaLayerInput(x.narrow(1, 0, T - 1), cos.narrow(1, 0, T - 1), sin.narrow(1, 0, T - 1), cache, 0, Ablation: ablation));
            var step = attention.forward(new LlamaLayerInput(x.narrow(1, T - 1, 1), cos.narrow(1, T - 1, 1), sin.narrow(1, T - 1, 1), cache, 0,
                CaptureLastQuery: true, Ablation: ablation));
            Assert.True(MaxDiff(step.CapturedRow!.select(1, Removed), full(1, T, 1.0f / T)) < 1e-7 || ablation is null);
            return PerHead(step.HiddenStates);                                                                 // (1, 1, nh, hd)
        }
        var plain = Step(null);
        var ablated = Step(MaskoutHead2);
        for (int h = 0; h < Heads; h++)
            if (h != Removed) Assert.True(MaxDiff(plain.select(2, h), ablated.select(2, h)) < 1e-6, $"head {h} changed");
        var meanValue = Values(attention, x).select(2, Removed / (Heads / KvHeads)).mean([1]);                  // (1, hd)
        Assert.True(MaxDiff(ablated.select(2, Removed).squeeze(1), meanValue) < 1e-5);
    }

    [Fact]
    public void Zero_output_sets_the_head_to_zero_and_leaves_the_others_bit_identical()
    {
        using var scope = NewDisposeScope();
        using var attention = IdentityOutputAttention(out var x, out var cos, out var sin);
        var zero = new HeadAblation(HeadAblationMode.ZeroOutput, [new HeadRef(0, Removed), new HeadRef(3, 0)]); // layer 3: not this one
        var plain = PerHead(attention.forward(new LlamaLayerInput(x, cos, sin, null, 0)).HiddenStates);
        var ablated = PerHead(attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, Ablation: zero)).HiddenStates);
        Assert.Equal(0.0, ablated.select(2, Removed).abs().max().item<float>());
        for (int h = 0; h < Heads; h++)
            if (h != Removed) Assert.True(TinyModels.Same(plain.select(2, h), ablated.select(2, h)), $"head {h} changed");
    }

    [Fact]
    public void An_ablation_of_another_layer_leaves_this_layer_bit_identical()
    {
        using var scope = NewDisposeScope();
        using var attention = IdentityOutputAttention(out var x, out var cos, out var sin);
        var elsewhere = new HeadAblation(HeadAblationMode.Maskout, [new HeadRef(1, 0), new HeadRef(1, 3)]);
        var plain = attention.forward(new LlamaLayerInput(x, cos, sin, null, 0)).HiddenStates;
        Assert.True(TinyModels.Same(plain, attention.forward(new LlamaLayerInput(x, cos, sin, null, 0, Ablation: elsewhere)).HiddenStates));
    }

    /// <summary>An attention module with seeded weights (every parameter overwritten from a local generator, no global
    /// seed) and o_proj = identity; x (1, T, C), identity rotary (cos 1, sin 0).</summary>
    private static LlamaAttention IdentityOutputAttention(out Tensor x, out Tensor cos, out Tensor sin)
    {
        using var generator = new Generator(17, CPU);
        var attention = new LlamaAttention(Config, ScalarType.Float32, CPU);
        using (no_grad())
            foreach (var (name, p) in attention.named_parameters())
                if (name == "o_proj.weight") p.copy_(eye(Hidden));
                else p.copy_(randn(p.shape, generator: generator) * 0.5);
        x = randn([1, T, Hidden], generator: generator);
        cos = ones(1, T, HeadDim);
        sin = zeros(1, T, HeadDim);
        return attention;
    }

    /// <summary>v_proj(x) as (1, T, n_kv, hd).</summary>
    private static Tensor Values(LlamaAttention attention, Tensor x)
    {
        var w = attention.named_parameters().Single(p => p.name == "v_proj.weight").parameter;
        using var noGrad = no_grad();
        return matmul(x, w.t()).view(1, T, KvHeads, HeadDim);
    }

    private static Tensor PerHead(Tensor hidden) => hidden.view(1, hidden.shape[1], Heads, HeadDim); // (1, T, nh, hd)

    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
