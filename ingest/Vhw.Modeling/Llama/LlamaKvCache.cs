using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>
/// Preallocated key/value cache for one sequence (batch 1): per layer K and V of shape (1, n_kv, capacity, d),
/// keys stored after RoPE. Owns its buffers (detached from dispose scopes); dispose it.
/// </summary>
public sealed class LlamaKvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private readonly int[] _lengths;

    public LlamaKvCache(LlamaConfig config, int capacity, ScalarType dtype, Device device)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        Capacity = capacity;
        int layers = config.NumHiddenLayers;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        _lengths = new int[layers];
        for (int i = 0; i < layers; i++)
        {
            _keys[i] = zeros(1, config.NumKeyValueHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
            _values[i] = zeros(1, config.NumKeyValueHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
        }
    }

    public int Capacity { get; }

    /// <summary>Tokens cached so far (layer 0; all layers agree between forwards).</summary>
    public int Length => _lengths[0];

    /// <summary>
    /// Appends k, v (1, n_kv, T, d) for <paramref name="layer"/> and returns views of all cached keys and values
    /// (1, n_kv, Length + T, d). The views belong to the caller's dispose scope; the storage stays in the cache.
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        int t = (int)k.shape[2], start = _lengths[layer];
        if (start + t > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {start} + {t} tokens > capacity {Capacity}");
        _keys[layer].narrow(2, start, t).copy_(k);   // (1, n_kv, T, d) slot
        _values[layer].narrow(2, start, t).copy_(v); // (1, n_kv, T, d) slot
        _lengths[layer] = start + t;
        return (_keys[layer].narrow(2, 0, start + t), _values[layer].narrow(2, 0, start + t)); // (1, n_kv, Tk, d)
    }

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
