using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>safetensors dtype strings ↔ torch scalar types and element sizes.</summary>
public static class SafeTensorsDtype
{
    private static readonly (string Name, ScalarType Type, int Size)[] Table =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    public static bool TryParse(string name, out ScalarType type, out int elementSize)
    {
        foreach (var entry in Table)
            if (entry.Name == name)
            {
                (type, elementSize) = (entry.Type, entry.Size);
                return true;
            }
        (type, elementSize) = (default, 0);
        return false;
    }

    public static string NameOf(ScalarType type)
    {
        foreach (var entry in Table)
            if (entry.Type == type)
                return entry.Name;
        throw new NotSupportedException($"dtype {type} cannot be written to safetensors");
    }

    public static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;
}
