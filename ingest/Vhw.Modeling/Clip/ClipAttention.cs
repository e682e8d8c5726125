using TorchSharp;
using TorchSharp.Modules;
using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Clip;

#pragma warning disable IDE1006 // field names equal HF checkpoint keys

/// <summary>HF <c>CLIPAttention</c>: bidirectional multi-head attention (scale head_dim^-0.5), SDPA path.</summary>
public sealed class ClipAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear q_proj;
    private readonly Linear out_proj;
    private readonly int _heads;
    private readonly int _headDim;

    public ClipAttention(ClipVisionConfig config, ScalarType dtype, Device device) : base(nameof(ClipAttention))
    {
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        int h = config.HiddenSize;
        k_proj = nn.Linear(h, h, hasBias: true, device: device, dtype: dtype);
        v_proj = nn.Linear(h, h, hasBias: true, device: device, dtype: dtype);
        q_proj = nn.Linear(h, h, hasBias: true, device: device, dtype: dtype);
        out_proj = nn.Linear(h, h, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>hidden_states (B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        long b = hiddenStates.shape[0], t = hiddenStates.shape[1];
        var q = q_proj.forward(hiddenStates).view(b, t, _heads, _headDim).transpose(1, 2); // (B, nh, T, hd)
        var k = k_proj.forward(hiddenStates).view(b, t, _heads, _headDim).transpose(1, 2); // (B, nh, T, hd)
        var v = v_proj.forward(hiddenStates).view(b, t, _heads, _headDim).transpose(1, 2); // (B, nh, T, hd)
        var o = nn.functional.scaled_dot_product_attention(q, k, v);                       // (B, nh, T, hd)
        o = o.transpose(1, 2).reshape(b, t, _heads * _headDim);                            // (B, T, C)
        return out_proj.forward(o).MoveToOuterDisposeScope();
    }
}
