using System.Numerics;
using System.Runtime.Intrinsics;

namespace Vhw.Transform.Kernels;

/// <summary>
/// The SIMD vector of doubles a register tile is written over (<see cref="ReplicateSumsKernel"/>), so one tile serves
/// two widths: <see cref="Lanes512"/> where the CPU runs 512-bit vectors (AVX-512: twice the multiply-adds per
/// instruction), <see cref="LanesOfVectorT"/> (Vector&lt;double&gt;, 256 bits with AVX2) elsewhere. Structs, so each
/// tile is compiled for its width and the wrapper costs nothing.
/// </summary>
internal interface ISimdLanes<TSelf> where TSelf : struct, ISimdLanes<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Load(ref double source, nuint offset);
    static abstract TSelf Broadcast(double value);

    /// <summary>x × b + a, fused (one rounding).</summary>
    static abstract TSelf MultiplyAdd(TSelf x, TSelf b, TSelf a);

    void Store(ref double destination, nuint offset);
}

internal readonly struct Lanes512(Vector512<double> v) : ISimdLanes<Lanes512>
{
    private readonly Vector512<double> _v = v;

    /// <summary>Whether the CPU runs 512-bit vectors (elsewhere they are emulated, far slower than Vector&lt;T&gt;).</summary>
    public static bool IsFast => Vector512.IsHardwareAccelerated;

    public static int Count => Vector512<double>.Count;
    public static Lanes512 Load(ref double source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    public static Lanes512 Broadcast(double value) => new(Vector512.Create(value));
    public static Lanes512 MultiplyAdd(Lanes512 x, Lanes512 b, Lanes512 a) => new(Vector512.FusedMultiplyAdd(x._v, b._v, a._v));
    public void Store(ref double destination, nuint offset) => _v.StoreUnsafe(ref destination, offset);
}

internal readonly struct LanesOfVectorT(Vector<double> v) : ISimdLanes<LanesOfVectorT>
{
    private readonly Vector<double> _v = v;

    public static int Count => Vector<double>.Count;
    public static LanesOfVectorT Load(ref double source, nuint offset) => new(Vector.LoadUnsafe(ref source, offset));
    public static LanesOfVectorT Broadcast(double value) => new(new Vector<double>(value));
    public static LanesOfVectorT MultiplyAdd(LanesOfVectorT x, LanesOfVectorT b, LanesOfVectorT a) => new(Vector.FusedMultiplyAdd(x._v, b._v, a._v));
    public void Store(ref double destination, nuint offset) => _v.StoreUnsafe(ref destination, offset);
}
