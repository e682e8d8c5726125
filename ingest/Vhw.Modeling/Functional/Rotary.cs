using TorchSharp;
using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>Rotary position embedding helpers (HF <c>rotate_half</c> / <c>apply_rotary_pos_emb</c>, default rope type).</summary>
public static class Rotary
{
    /// <summary>HF default RoPE: inv_freq = 1 / theta^(arange(0, d, 2) / d), computed in float32 like HF.</summary>
    public static float[] InverseFrequencies(int headDim, double theta)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64).to(ScalarType.Float32) / headDim; // (d/2)
        var invFreq = pow(tensor(theta, ScalarType.Float32), exponents).reciprocal();                    // (d/2)
        return invFreq.data<float>().ToArray();
    }

    /// <summary>cos/sin tables for the given positions: (B, T) long → two (B, T, d) tensors in <paramref name="dtype"/>.</summary>
    public static (Tensor Cos, Tensor Sin) CosSin(float[] invFreq, Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inv = tensor(invFreq, ScalarType.Float32, positionIds.device);        // (d/2)
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inv;       // (B, T, d/2)
        var emb = cat([freqs, freqs], -1);                                        // (B, T, d)
        return (emb.cos().to(dtype).MoveToOuterDisposeScope(), emb.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>HF <c>rotate_half</c>: (x1, x2) → (-x2, x1) over the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        long half = x.shape[^1] / 2;
        using var scope = NewDisposeScope();
        var x1 = x.narrow(-1, 0, half);    // (..., d/2)
        var x2 = x.narrow(-1, half, half); // (..., d/2)
        return cat([x2.neg(), x1], -1).MoveToOuterDisposeScope(); // (..., d)
    }

    /// <summary>HF <c>apply_rotary_pos_emb</c>: q, k (B, h, T, d) with cos/sin (B, T, d).</summary>
    public static (Tensor Q, Tensor K) Apply(Tensor q, Tensor k, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var c = cos.unsqueeze(1); // (B, 1, T, d)
        var s = sin.unsqueeze(1); // (B, 1, T, d)
        var qEmbed = q * c + RotateHalf(q) * s;
        var kEmbed = k * c + RotateHalf(k) * s;
        return (qEmbed.MoveToOuterDisposeScope(), kEmbed.MoveToOuterDisposeScope());
    }
}
