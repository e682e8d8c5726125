namespace Vhw.Modeling.Ablation;

/// <summary>How a selected attention head is removed (paper-method.md "Ablation (maskout)").</summary>
public enum HeadAblationMode
{
    /// <summary>
    /// The authors' <c>maskout</c>: after the causal mask is added and before softmax, the head's attention logits are set
    /// to 0 at every forward pass and every query position, so softmax is uniform over ALL keys (also future tokens during
    /// prefill) and the head outputs the mean of all value vectors.
    /// </summary>
    Maskout,

    /// <summary>The clean variant: the head's output is set to 0 before o_proj (the head contributes nothing).</summary>
    ZeroOutput,
}

/// <summary>One decoder attention head, 0-based.</summary>
public readonly record struct HeadRef(int Layer, int Head) : IComparable<HeadRef>
{
    public int CompareTo(HeadRef other) => Layer != other.Layer ? Layer.CompareTo(other.Layer) : Head.CompareTo(other.Head);

    /// <summary>"L.H", the form used by <c>list:</c> selections and the warehouse's <c>heads</c> column.</summary>
    public override string ToString() => FormattableString.Invariant($"{Layer}.{Head}");
}

/// <summary>
/// A set of (layer, head) pairs to remove and how. Passed explicitly with each forward (LlamaModelInput / LlamaLayerInput
/// / Generate), never stored in a module, so an ablated and an unablated forward can share one loaded model.
/// An empty set leaves every layer on its unablated path.
/// </summary>
public sealed class HeadAblation
{
    private readonly Dictionary<int, long[]> _byLayer;

    public HeadAblation(HeadAblationMode mode, IEnumerable<HeadRef> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        Mode = mode;
        Heads = heads.Distinct().Order().ToArray();
        foreach (var h in Heads)
            if (h.Layer < 0 || h.Head < 0) throw new ArgumentOutOfRangeException(nameof(heads), $"negative layer or head in {h}");
        _byLayer = Heads.GroupBy(h => h.Layer).ToDictionary(g => g.Key, g => g.Select(h => (long)h.Head).ToArray());
    }

    public HeadAblationMode Mode { get; }

    /// <summary>Distinct heads in (layer, head) order.</summary>
    public IReadOnlyList<HeadRef> Heads { get; }

    public bool IsEmpty => Heads.Count == 0;

    /// <summary>The removed heads of one layer (sorted), empty when the layer keeps all its heads.</summary>
    public long[] HeadsOf(int layer) => _byLayer.TryGetValue(layer, out var heads) ? heads : [];

    /// <summary>Throws when a head lies outside a model with <paramref name="layers"/> × <paramref name="heads"/> heads.</summary>
    public void Validate(int layers, int heads)
    {
        foreach (var h in Heads)
            if (h.Layer >= layers || h.Head >= heads)
                throw new ArgumentOutOfRangeException(nameof(heads), $"head {h} is outside the model ({layers} layers × {heads} heads)");
    }

    /// <summary>Canonical "L.H,L.H,…" in (layer, head) order; "" for the empty set.</summary>
    public override string ToString() => string.Join(',', Heads);

    /// <summary>Warehouse name of a mode: maskout | zero_output.</summary>
    public static string ModeName(HeadAblationMode mode) => mode switch
    {
        HeadAblationMode.Maskout => "maskout",
        HeadAblationMode.ZeroOutput => "zero_output",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static HeadAblationMode ParseMode(string name) => name switch
    {
        "maskout" => HeadAblationMode.Maskout,
        "zero_output" or "zero" => HeadAblationMode.ZeroOutput,
        _ => throw new ArgumentException($"unknown ablation mode '{name}' (maskout or zero_output)"),
    };
}
