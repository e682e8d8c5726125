using Vhw.Modeling.Configs;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llama;

/// <summary>
/// Preallocated key/value cache for <see cref="BatchSize"/> sequences of equal (left-padded) length: per layer K and V of
/// shape (B, n_kv, capacity, d), keys stored after RoPE. Batch 1 by default. Owns its buffers (detached from dispose
/// scopes); dispose it.
/// </summary>
public sealed class LlamaKvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private readonly int[] _lengths;

    public LlamaKvCache(LlamaConfig config, int capacity, ScalarType dtype, Device device, int batchSize = 1)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Capacity = capacity;
        BatchSize = batchSize;
        int layers = config.NumHiddenLayers;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        _lengths = new int[layers];
        for (int i = 0; i < layers; i++)
        {
            _keys[i] = zeros(batchSize, config.NumKeyValueHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
            _values[i] = zeros(batchSize, config.NumKeyValueHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
        }
    }

    public int Capacity { get; }

    /// <summary>Sequences cached side by side (the B of every K and V).</summary>
    public int BatchSize { get; }

    /// <summary>Tokens cached so far (layer 0; all layers agree between forwards).</summary>
    public int Length => _lengths[0];

    /// <summary>
    /// Appends k, v (B, n_kv, T, d) for <paramref name="layer"/> and returns views of all cached keys and values
    /// (B, n_kv, Length + T, d). The views belong to the caller's dispose scope; the storage stays in the cache.
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        int t = (int)k.shape[2], start = _lengths[layer];
        if (k.shape[0] != BatchSize || v.shape[0] != BatchSize)
            throw new ArgumentException($"KV cache holds {BatchSize} sequence(s), got keys for {k.shape[0]} and values for {v.shape[0]}");
        if (start + t > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {start} + {t} tokens > capacity {Capacity}");
        _keys[layer].narrow(2, start, t).copy_(k);   // (B, n_kv, T, d) slot
        _values[layer].narrow(2, start, t).copy_(v); // (B, n_kv, T, d) slot
        _lengths[layer] = start + t;
        return (_keys[layer].narrow(2, 0, start + t), _values[layer].narrow(2, 0, start + t)); // (B, n_kv, Tk, d)
    }

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
