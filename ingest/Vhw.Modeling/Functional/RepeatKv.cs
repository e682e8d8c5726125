using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>HF <c>repeat_kv</c>: expands grouped key/value heads to the query head count (GQA).</summary>
public static class RepeatKv
{
    /// <summary>(B, n_kv, T, d) → (B, n_kv * nRep, T, d); each kv head is repeated nRep times consecutively.</summary>
    public static Tensor Apply(Tensor hidden, long nRep)
    {
        if (nRep == 1)
            return hidden.alias();
        long b = hidden.shape[0], kv = hidden.shape[1], t = hidden.shape[2], d = hidden.shape[3];
        return hidden.unsqueeze(2)                 // (B, n_kv, 1, T, d)
            .expand(b, kv, nRep, t, d)             // (B, n_kv, nRep, T, d)
            .reshape(b, kv * nRep, t, d);          // (B, n_kv * nRep, T, d)
    }
}
