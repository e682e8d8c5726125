#!/usr/bin/env python3
"""Golden fixtures from HF transformers, the reference users trust. NOT RUN YET: transformers is not installed on the
CPU machines; run it where it is (the GPU machine some sessions are lent has torch + transformers; CPU is enough):

  python3 tools/golden/make_golden.py --out tests/fixtures/golden          # writes tests/fixtures/golden/hf-<variant>/

For each variant of golden_io.VARIANTS (llama MHA / Llama-3 GQA with rope_theta 5e5 / Mistral sliding window /
Phi-3 fused) it builds a tiny random-initialised LlavaForConditionalGeneration with eager attention, saves it with
save_pretrained (safetensors; the key layout is whatever this transformers version writes: legacy llava-hf before
4.52, the new model.language_model.* after), runs the fixed prompt and pixels with output_attentions=True and writes
the same expected.json / expected.safetensors as make_cpu_golden.py. The C# GoldenFixtureTests pick up every hf-*
folder automatically. Commit the folders (each < 1 MB) and record the transformers version in docs/fidelity.md.

Not generated here yet (our runtime refuses them, see docs/fidelity.md): LLaVA-NeXT anyres, ViP-LLaVA.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_io as gio  # noqa: E402


def hf_config(text):
    import transformers as tf
    classes = {"llama": tf.LlamaConfig, "mistral": tf.MistralConfig, "phi3": tf.Phi3Config}
    fields = {k: v for k, v in text.items() if k not in ("model_type", "_name_or_path")}
    text_config = classes[text["model_type"]](**fields)
    text_config._name_or_path = text["_name_or_path"]
    vision = {k: v for k, v in gio.VISION.items() if k != "model_type"}
    n_patches = (gio.VISION["image_size"] // gio.VISION["patch_size"]) ** 2
    return tf.LlavaConfig(vision_config=tf.CLIPVisionConfig(**vision), text_config=text_config,
                          image_token_index=gio.IMAGE_TOKEN, projector_hidden_act="gelu", vision_feature_layer=-2,
                          vision_feature_select_strategy="default", image_seq_length=n_patches, tie_word_embeddings=False)


def eager_model(config_or_folder, seed=None):
    from transformers import LlavaForConditionalGeneration
    if isinstance(config_or_folder, str):
        model = LlavaForConditionalGeneration.from_pretrained(config_or_folder, attn_implementation="eager")
    else:
        torch.manual_seed(seed)
        model = LlavaForConditionalGeneration._from_config(config_or_folder, attn_implementation="eager")
        gio.init_(list(model.named_parameters()), seed, sharp=("q_proj", "k_proj", "qkv_proj"))
    return model.float().eval()


def forward(model, ids, pixels):
    """Full-sequence eager forward without cache: logits (T, V) and every layer's attention (L, h, T, T)."""
    out = model(input_ids=torch.tensor([ids]), pixel_values=pixels, attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                output_attentions=True, use_cache=False, return_dict=True)
    attentions = torch.stack([a[0].float() for a in out.attentions])  # (L, h, T, T)
    return out.logits[0].float(), attentions


def make(name, out, seed_offset):
    import transformers
    text, _, seed = gio.VARIANTS[name]
    seed += seed_offset
    model = eager_model(hf_config(text), seed)
    folder = os.path.join(out, "hf-" + name)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        if os.path.exists(os.path.join(folder, extra)):
            os.remove(os.path.join(folder, extra))
    model = eager_model(folder)                                        # what the fixture holds is what runs

    pixels = gio.pixel_values()
    n = model.config.image_seq_length
    at = gio.PROMPT.index(gio.IMAGE_TOKEN)
    ids = gio.PROMPT[:at] + [gio.IMAGE_TOKEN] * n + gio.PROMPT[at + 1:]  # HF >= 4.47 wants the placeholder expanded
    with torch.no_grad():
        logits, attentions = forward(model, ids, pixels)
        rows_last = attentions[:, :, -1, :]                            # (L, h, T)
        tokens, margins, seq = [], [], list(ids)
        for step in range(gio.MAX_NEW_TOKENS):                        # greedy, whole sequence recomputed, EOS ignored
            step_logits, step_attentions = forward(model, seq, pixels)
            top = step_logits[-1].topk(2)
            margins.append((top.values[0] - top.values[1]).item())
            if step == 1:
                rows_step2 = step_attentions[:, :, -1, :]             # (L, h, T+1)
            tokens.append(int(top.indices[0]))
            seq.append(tokens[-1])
        model.generation_config.eos_token_id = None                   # the fixture's greedy tokens ignore EOS, like the C# test
        model.generation_config.pad_token_id = 0
        cached = model.generate(input_ids=torch.tensor([ids]), pixel_values=pixels, max_new_tokens=gio.MAX_NEW_TOKENS,
                                do_sample=False, attention_mask=torch.ones(1, len(ids), dtype=torch.long))
        assert cached[0, len(ids):].tolist() == tokens, "HF cached generate disagrees with recomputed greedy"

    expected = {
        "name": "hf-" + name, "prompt_ids": gio.PROMPT, "image_token_index": gio.IMAGE_TOKEN, "image_start": at,
        "image_token_count": n, "sequence_length": len(ids), "max_new_tokens": gio.MAX_NEW_TOKENS,
        "greedy_tokens": tokens, "min_greedy_margin": min(margins), "layout": "save_pretrained",
        "tolerances": {"logits": 1e-4, "attention_rows": 1e-5},
        "references": {"model": f"huggingface/transformers {transformers.__version__} LlavaForConditionalGeneration "
                                f"(attn_implementation=eager, output_attentions=True)", "torch": torch.__version__},
        "generator": "tools/golden/make_golden.py",
    }
    gio.check_fixture(expected, rows_last, rows_step2, margins)
    tensors = {"pixel_values": pixels, "logits": logits, "rows_last_prompt": rows_last, "rows_answer_step2": rows_step2}
    import json
    gio.write_safetensors(os.path.join(folder, "expected.safetensors"), tensors)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(folder, x)) for x in os.listdir(folder))
    print(f"hf-{name}: {sorted(os.listdir(folder))} {size} bytes greedy={tokens} margin={min(margins):.3g}")
    if size > 1 << 20:
        raise SystemExit(f"hf-{name}: {size} bytes is over the 1 MB fixture budget")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tests/fixtures/golden")
    parser.add_argument("--only", nargs="*", default=None, help="variant names (default: all)")
    parser.add_argument("--seed-offset", type=int, default=0, help="shift the seeds when check_fixture refuses one")
    args = parser.parse_args()
    torch.set_num_threads(max(1, min(8, os.cpu_count() or 1)))
    for variant in args.only or gio.VARIANTS:
        make(variant, args.out, args.seed_offset)
