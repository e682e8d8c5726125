using TorchSharp;
using static TorchSharp.torch;

namespace Vhw.Modeling.Functional;

/// <summary>HF <c>ACT2FN</c> for the activations LLaVA checkpoints use (one formula each, here only).</summary>
public static class Activations
{
    public static readonly string[] Supported =
        ["gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "quick_gelu", "silu", "swish", "relu"];

    public static bool IsSupported(string? name) => name is not null && Supported.Contains(name, StringComparer.Ordinal);

    /// <summary>Applies the named activation element-wise; the result is a new tensor.</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        // CLIP's quick_gelu: x * sigmoid(1.702 x)
        "quick_gelu" => x * torch.sigmoid(x * 1.702),
        "silu" or "swish" => nn.functional.silu(x),
        "relu" => nn.functional.relu(x),
        _ => throw new ArgumentException($"unsupported activation '{name}' (supported: {string.Join(", ", Supported)})", nameof(name)),
    };
}
