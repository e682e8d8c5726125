using Vhw.Modeling.Configs;
using Vhw.Modeling.Llava;

namespace Vhw.Modeling.Loading;

/// <summary>A llava checkpoint loaded by <see cref="LlavaCheckpoint.Load"/> (model in eval mode). Dispose frees the weights.</summary>
/// <param name="Config">The validated config.json.</param>
/// <param name="Model">The model, eval mode.</param>
/// <param name="WeightsSha256">SHA-256 over the safetensors file bytes in sorted file order (lowercase hex).</param>
/// <param name="ParameterCount">Parameters (a tied lm_head counted once).</param>
/// <param name="Folder">The checkpoint folder.</param>
public sealed record LoadedLlava(LlavaConfig Config, LlavaForConditionalGeneration Model, string WeightsSha256, long ParameterCount, string Folder)
    : IDisposable
{
    public void Dispose() => Model.Dispose();
}
