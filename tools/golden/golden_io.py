"""Shared by the golden-fixture drivers (make_cpu_golden.py, make_golden.py): the fixture variants, the fixed
inputs, the seeded init scheme and the fixture writer. Our code only; no reference implementation lives here.

A fixture folder tests/fixtures/golden/<name>/ holds
  config.json            HF llava config (text_config + vision_config), read by LlavaCheckpoint.Load
  model.safetensors      weights in the variant's key layout (legacy llava-hf, new transformers >= 4.52, phi3 fused)
  expected.safetensors   pixel_values (1,3,H,W), logits (T,V) of the prompt forward, rows_last_prompt (L,h,T),
                         rows_answer_step2 (L,h,T+1): post-softmax float32 attention rows of the captured query
  expected.json          prompt ids (one image placeholder), image span, greedy tokens, provenance, tolerances
"""
import json
import struct

import torch

IMAGE_TOKEN = 95
VOCAB = 96
# BOS, 2 text tokens, the image placeholder (expands to 16 image tokens), 4 text tokens -> T = 23
PROMPT = [1, 11, 23, IMAGE_TOKEN, 35, 47, 59, 71]
MAX_NEW_TOKENS = 6
PIXEL_SEED = 1234

VISION = {
    "model_type": "clip_vision_model", "hidden_size": 24, "intermediate_size": 96, "projection_dim": 24,
    "num_hidden_layers": 3, "num_attention_heads": 4, "num_channels": 3, "image_size": 32, "patch_size": 8,
    "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5,
}

_TEXT = {
    "vocab_size": VOCAB, "hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4,
    "hidden_act": "silu", "rms_norm_eps": 1e-5, "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
}

# name -> (text_config, checkpoint layout, seed). Layouts: "legacy" (llava-hf on the Hub), "new" (transformers >= 4.52),
# "legacy-fused" (legacy keys with Phi-3's qkv_proj / gate_up_proj).
VARIANTS = {
    "llava-vicuna-mha": (dict(_TEXT, model_type="llama", _name_or_path="vhw-golden/vicuna-mha", num_key_value_heads=4,
                              max_position_embeddings=64, rope_theta=10000.0), "legacy", 101),
    "llava-llama3-gqa": (dict(_TEXT, model_type="llama", _name_or_path="vhw-golden/llama-3-gqa", num_key_value_heads=2,
                              max_position_embeddings=64, rope_theta=500000.0), "new", 202),
    "llava-mistral-swa": (dict(_TEXT, model_type="mistral", _name_or_path="vhw-golden/mistral-swa", num_key_value_heads=2,
                               max_position_embeddings=64, rope_theta=1000000.0, sliding_window=8), "legacy", 303),
    "llava-phi3-fused": (dict(_TEXT, model_type="phi3", _name_or_path="vhw-golden/phi-3-fused", num_key_value_heads=4,
                              max_position_embeddings=4096, rope_theta=10000.0, sliding_window=2047,
                              eos_token_id=2, pad_token_id=0), "legacy-fused", 405),
}


def llava_config(text):
    n_patches = (VISION["image_size"] // VISION["patch_size"]) ** 2
    return {
        "architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "image_token_index": IMAGE_TOKEN,
        "projector_hidden_act": "gelu", "multimodal_projector_bias": True, "vision_feature_layer": -2,
        "vision_feature_select_strategy": "default", "image_seq_length": n_patches, "tie_word_embeddings": False,
        "torch_dtype": "float32", "text_config": text, "vision_config": dict(VISION),
    }


def pixel_values():
    g = torch.Generator().manual_seed(PIXEL_SEED)
    return torch.randn(1, VISION["num_channels"], VISION["image_size"], VISION["image_size"], generator=g)


def init_(named_params, seed, sharp=("q_proj", "k_proj", "wq", "wk", "in_proj")):
    """Seeded init in name order: norms 1 + 0.1 N, biases 0.1 N, embeddings N(0,1), matrices N(0, 1/fan_in);
    query/key matrices x1.5 so attention rows are far from uniform (a parity check on flat rows would be weak)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(named_params, key=lambda kv: kv[0]):
            noise = torch.randn(p.shape, generator=g)
            is_norm = "norm" in name or "ln_" in name
            if is_norm and not name.endswith("bias"):
                value = 1.0 + 0.1 * noise
            elif name.endswith("bias"):
                value = 0.1 * noise
            elif "embed" in name or "class_embedding" in name or "positional" in name:
                value = noise
            else:
                scale = 1.5 if any(s in name for s in sharp) else 1.0
                value = noise * scale / p[0].numel() ** 0.5
            p.copy_(value)


def write_safetensors(path, tensors, metadata=None):
    """safetensors: u64 LE header length, JSON header {name: {dtype, shape, data_offsets}}, raw LE bytes."""
    dtypes = {torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def check_fixture(expected, rows_last, rows_step2, greedy_margins):
    """Refuses fixtures that would make weak tests: flat rows, near-tied greedy steps, the image token generated."""
    keys = rows_step2.shape[-1]
    if rows_step2.max().item() <= 3.0 / keys:
        raise SystemExit(f"{expected['name']}: attention rows are near-uniform; pick another seed")
    if min(greedy_margins) < 1e-3:
        raise SystemExit(f"{expected['name']}: a greedy step is nearly tied ({min(greedy_margins):.2e}); pick another seed")
    if IMAGE_TOKEN in expected["greedy_tokens"]:
        raise SystemExit(f"{expected['name']}: greedy decoding produced the image token; pick another seed")
    if len(set(expected["greedy_tokens"])) < 2:
        raise SystemExit(f"{expected['name']}: degenerate greedy output; pick another seed")
    sums = rows_last.sum(-1)
    assert torch.allclose(sums, torch.ones_like(sums), atol=1e-5), "rows do not sum to 1"


def write_fixture(folder, config, weights, expected, tensors):
    import os
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model.safetensors"), weights, {"format": "pt"})
    write_safetensors(os.path.join(folder, "expected.safetensors"), tensors)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
