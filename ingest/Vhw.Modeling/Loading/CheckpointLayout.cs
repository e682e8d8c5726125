namespace Vhw.Modeling.Loading;

/// <summary>Which key layout a llava safetensors checkpoint uses.</summary>
public enum CheckpointLayout
{
    /// <summary>llava-hf on the Hub: <c>language_model.model.layers.N…</c>, <c>language_model.lm_head.weight</c>, <c>vision_tower.…</c>, <c>multi_modal_projector.…</c>.</summary>
    Legacy,
    /// <summary>transformers ≥ 4.52: <c>model.language_model.layers.N…</c>, <c>model.vision_tower.…</c>, <c>model.multi_modal_projector.…</c>, <c>lm_head.weight</c>.</summary>
    New,
    /// <summary>
    /// The original LLaVA repository (haotian-liu/LLaVA, <c>LlavaLlamaForCausalLM</c>): <c>model.layers.N…</c>, <c>model.embed_tokens.…</c>,
    /// <c>model.norm.…</c>, <c>model.mm_projector.{0,2}.…</c>, <c>model.vision_tower.vision_tower.vision_model.…</c>, <c>lm_head.weight</c>.
    /// </summary>
    Original,
}
