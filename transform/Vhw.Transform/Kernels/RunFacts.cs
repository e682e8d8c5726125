namespace Vhw.Transform.Kernels;

/// <summary>
/// One run's samples and head facts as a kernel reads them: every replicate's bootstrap weight per sample, kept as the
/// sample's list arrives (a byte per replicate) and laid out as one samples × replicates matrix for the product, and two metrics
/// (image_fraction, image_concentration) stored sample-major, one row per sample with a column per head, so facts, which
/// arrive sample by sample, are written in order.
/// </summary>
internal sealed class RunFacts
{
    private int[][] _slots = [];
    private readonly List<(int Layer, int Head)> _heads = [];
    private readonly List<byte[]?> _sampleWeights = [];

    /// <summary>The longest weight list of a sample: replicates 1..Replicates (a shorter list weighs 0 beyond its end).</summary>
    public int Replicates { get; private set; }

    public int Samples => _sampleWeights.Count;

    /// <summary>The heads in slot order (a head gets the next slot when its first fact arrives).</summary>
    public IReadOnlyList<(int Layer, int Head)> Heads => _heads;

    public SampleMajorMetric Fraction { get; private set; } = null!;
    public SampleMajorMetric Concentration { get; private set; } = null!;

    /// <summary>The sample's weight in replicates 1..weights.Length (read before any fact of the run; copied).</summary>
    public void SetWeights(int sample, ReadOnlySpan<byte> weights)
    {
        if (Fraction is not null) throw new InvalidOperationException("a run's weights are read before its facts");
        while (_sampleWeights.Count <= sample) _sampleWeights.Add(null);
        _sampleWeights[sample] = weights.ToArray();
        Replicates = Math.Max(Replicates, weights.Length);
    }

    /// <summary>
    /// W[s, r] row-major (samples × <paramref name="replicates"/>): replicate r + 1's weight of sample s, 0 beyond a sample's
    /// list and for a sample index without weights. The product reads it transposed.
    /// </summary>
    public byte[] SampleMajorWeights(int replicates)
    {
        var w = new byte[(long)Samples * replicates];
        for (int sample = 0; sample < Samples; sample++)
            if (_sampleWeights[sample] is { } list)
                list.AsSpan(0, Math.Min(list.Length, replicates)).CopyTo(w.AsSpan(sample * replicates, replicates));
        return w;
    }

    /// <summary>The head's slot (its column in the sample rows).</summary>
    public int Slot(int layer, int head)
    {
        Fraction ??= new SampleMajorMetric(Samples);
        Concentration ??= new SampleMajorMetric(Samples);
        if ((uint)layer < (uint)_slots.Length && _slots[layer] is { } row && (uint)head < (uint)row.Length && row[head] > 0)
            return row[head] - 1;
        if (layer < 0 || head < 0) throw new KernelException($"head facts: layer {layer} / head {head} must be ≥ 0");
        if (layer >= _slots.Length) Array.Resize(ref _slots, layer + 1);
        _slots[layer] ??= [];
        if (head >= _slots[layer].Length) Array.Resize(ref _slots[layer], head + 1);
        _heads.Add((layer, head));
        _slots[layer][head] = _heads.Count; // slot + 1: 0 means none yet
        return _heads.Count - 1;
    }
}

/// <summary>
/// One metric of a run, sample-major: per sample, each head's value (0 where none) and whether it holds one. A
/// second value for the same sample and head (a fact row listed twice) goes to <see cref="Extra"/>, so sums count it
/// and quantiles see it.
/// </summary>
internal sealed class SampleMajorMetric(int samples)
{
    private readonly double[]?[] _values = new double[samples][];
    private readonly byte[]?[] _present = new byte[samples][];
    private int _rowLength = 64;
    private long _rows;

    public List<(int Sample, int Slot, double Value)> Extra { get; } = [];

    public int Samples => _values.Length;

    public void Add(int sample, int slot, double value)
    {
        if (slot >= _rowLength) Grow(slot);
        var values = _values[sample] ??= new double[_rowLength];
        var present = _present[sample] ??= new byte[_rowLength];
        if (present[slot] == 0)
        {
            present[slot] = 1;
            values[slot] = value;
        }
        else
        {
            Extra.Add((sample, slot, value));
        }
        _rows++;
    }

    /// <summary>The sample's value per head (length ≥ heads; 0 where none), or null when it has none.</summary>
    public double[]? Values(int sample) => _values[sample];

    /// <summary>Per head, 1 where the sample holds a value (a second one is in <see cref="Extra"/>), else 0; null when it has none.</summary>
    public byte[]? Present(int sample) => _present[sample];

    /// <summary>Every sample holds exactly one value of each of the run's heads.</summary>
    public bool IsComplete(int heads) => _rows == (long)heads * _values.Length && Extra.Count == 0;

    private void Grow(int slot)
    {
        while (slot >= _rowLength) _rowLength *= 2;
        for (int s = 0; s < _values.Length; s++)
        {
            if (_values[s] is { } v) { Array.Resize(ref v, _rowLength); _values[s] = v; }
            if (_present[s] is { } p) { Array.Resize(ref p, _rowLength); _present[s] = p; }
        }
    }
}
