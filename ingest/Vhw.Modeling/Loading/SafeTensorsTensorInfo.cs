using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>One validated header entry of a safetensors file.</summary>
/// <param name="Name">Key as written in the file.</param>
/// <param name="Dtype">safetensors dtype string (F32, F16, BF16, …).</param>
/// <param name="ScalarType">Matching torch dtype.</param>
/// <param name="ElementSize">Bytes per element.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="DataStart">Absolute byte offset of the data in the file.</param>
/// <param name="ByteLength">Bytes of data (= product(shape) · element size).</param>
public sealed record SafeTensorsTensorInfo(
    string Name, string Dtype, ScalarType ScalarType, int ElementSize, long[] Shape, long DataStart, long ByteLength)
{
    public long ElementCount => ByteLength / ElementSize;
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
