#!/usr/bin/env python3
"""Golden fixtures from two independent CPU reference implementations, without HF transformers.

  vision tower  openai/CLIP clip/model.py  VisionTransformer (hidden state after resblocks[:-1], CLS dropped)
  decoder       karpathy/llama2.c model.py Transformer (manual attention path: torch 1.13 has no SDPA)
  projector     this driver: linear_1 -> exact GELU -> linear_2 (LLaVA's two-linear projector)

Neither reference is copied here: pass the paths of the fetched files, they are imported at run time.

  /usr/bin/python3 tools/golden/make_cpu_golden.py --llama2c /tmp/refs/llama2c/model.py \
      --clip /tmp/refs/clip/clip/model.py --out tests/fixtures/golden

Needs Debian's python3-torch (1.13) and libopenblas0-pthread. The only changes made to the references' behaviour:
llama2.c ties tok_embeddings/output (we give output its own Parameter), computes RoPE with theta 10000 (we refill its
freqs buffers with its own precompute_freqs_cis(theta=rope_theta)), and has no sliding window (for Mistral we replace
its causal-mask buffer by the sliding-window causal mask, HF's rule: key j visible from query i iff i - w < j <= i).
Attention rows are the reference's own softmax outputs, tapped at llama2.c's F.softmax call.
"""
import argparse
import importlib.util
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_io as gio  # noqa: E402


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class SoftmaxTap:
    """Stands in for llama2.c's module-level `F`: records every softmax output (its attention probabilities)."""

    def __init__(self, functional):
        self._f, self.records = functional, None

    def __getattr__(self, name):
        return getattr(self._f, name)

    def softmax(self, x, *args, **kwargs):
        p = self._f.softmax(x, *args, **kwargs)
        if self.records is not None:
            self.records.append(p.detach().clone())
        return p


def meta_to_hf(w, n_heads):
    """Interleaved (Meta/llama2.c) RoPE rows -> HF rotate-half rows, per head."""
    out, dim = w.shape
    return w.view(n_heads, out // n_heads // 2, 2, dim).transpose(1, 2).reshape(out, dim)


def hf_to_meta(w, n_heads):
    out, dim = w.shape
    return w.view(n_heads, 2, out // n_heads // 2, dim).transpose(1, 2).reshape(out, dim)


def build_decoder(llama, text, seed):
    args = llama.ModelArgs(dim=text["hidden_size"], n_layers=text["num_hidden_layers"], n_heads=text["num_attention_heads"],
                           n_kv_heads=text["num_key_value_heads"], vocab_size=text["vocab_size"],
                           hidden_dim=text["intermediate_size"], norm_eps=text["rms_norm_eps"], max_seq_len=64)
    model = llama.Transformer(args)
    model.output.weight = torch.nn.Parameter(model.output.weight.detach().clone())  # untie from tok_embeddings
    head_dim = args.dim // args.n_heads
    cos, sin = llama.precompute_freqs_cis(head_dim, args.max_seq_len, text["rope_theta"])
    model.freqs_cos, model.freqs_sin = cos, sin
    window = text.get("sliding_window") if text["model_type"] in ("mistral", "phi3") else None
    for layer in model.layers:
        assert not layer.attention.flash, "expected llama2.c's manual attention path (torch < 2.0)"
        if window is not None:
            i = torch.arange(args.max_seq_len).view(-1, 1)
            j = torch.arange(args.max_seq_len).view(1, -1)
            visible = (j <= i) & (j > i - window)
            mask = torch.zeros(args.max_seq_len, args.max_seq_len).masked_fill(~visible, float("-inf"))
            layer.attention.mask = mask.view(1, 1, args.max_seq_len, args.max_seq_len)
    gio.init_(list(model.named_parameters()), seed)
    return model.eval()


def decoder_weights(model, text, fused):
    """llama2.c state -> HF LlamaModel names (without the language_model prefix)."""
    nh, nkv = text["num_attention_heads"], text["num_key_value_heads"]
    w = {"embed_tokens.weight": model.tok_embeddings.weight, "norm.weight": model.norm.weight}
    for i, layer in enumerate(model.layers):
        a, f, p = layer.attention, layer.feed_forward, f"layers.{i}."
        q, k = meta_to_hf(a.wq.weight, nh), meta_to_hf(a.wk.weight, nkv)
        assert torch.equal(hf_to_meta(q, nh), a.wq.weight)
        if fused:
            w[p + "self_attn.qkv_proj.weight"] = torch.cat([q, k, a.wv.weight], 0)
            w[p + "mlp.gate_up_proj.weight"] = torch.cat([f.w1.weight, f.w3.weight], 0)
        else:
            w[p + "self_attn.q_proj.weight"], w[p + "self_attn.k_proj.weight"] = q, k
            w[p + "self_attn.v_proj.weight"] = a.wv.weight
            w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"] = f.w1.weight, f.w3.weight
        w[p + "self_attn.o_proj.weight"] = a.wo.weight
        w[p + "mlp.down_proj.weight"] = f.w2.weight
        w[p + "input_layernorm.weight"], w[p + "post_attention_layernorm.weight"] = layer.attention_norm.weight, layer.ffn_norm.weight
    return w


def build_vision(clip, seed):
    v = gio.VISION
    tower = clip.VisionTransformer(input_resolution=v["image_size"], patch_size=v["patch_size"], width=v["hidden_size"],
                                   layers=v["num_hidden_layers"], heads=v["num_attention_heads"], output_dim=v["projection_dim"])
    assert tower.transformer.resblocks[0].mlp.c_fc.out_features == v["intermediate_size"]
    gio.init_(list(tower.named_parameters()), seed)
    return tower.eval()


def vision_weights(tower):
    """openai CLIP VisionTransformer -> HF CLIPVisionModel names (without the vision_tower prefix)."""
    w = {"embeddings.class_embedding": tower.class_embedding, "embeddings.patch_embedding.weight": tower.conv1.weight,
         "embeddings.position_embedding.weight": tower.positional_embedding,
         "pre_layrnorm.weight": tower.ln_pre.weight, "pre_layrnorm.bias": tower.ln_pre.bias,
         "post_layernorm.weight": tower.ln_post.weight, "post_layernorm.bias": tower.ln_post.bias}
    for i, block in enumerate(tower.transformer.resblocks):
        p = f"encoder.layers.{i}."
        for part, (wt, b) in zip(("q_proj", "k_proj", "v_proj"),
                                 zip(block.attn.in_proj_weight.chunk(3, 0), block.attn.in_proj_bias.chunk(3, 0))):
            w[p + f"self_attn.{part}.weight"], w[p + f"self_attn.{part}.bias"] = wt, b
        for ours, theirs in (("self_attn.out_proj", block.attn.out_proj), ("layer_norm1", block.ln_1),
                             ("mlp.fc1", block.mlp.c_fc), ("mlp.fc2", block.mlp.c_proj), ("layer_norm2", block.ln_2)):
            w[p + ours + ".weight"], w[p + ours + ".bias"] = theirs.weight, theirs.bias
    return {"vision_model." + k: t for k, t in w.items()}


def image_features(tower, projector, pixels):
    """hidden_states[vision_feature_layer=-2] = output of resblocks[-2], tapped while CLIP's own forward runs."""
    seen = []
    handle = tower.transformer.resblocks[-2].register_forward_hook(lambda m, i, o: seen.append(o))
    tower(pixels)
    handle.remove()
    hidden = seen[0].permute(1, 0, 2)[:, 1:, :]                        # LND -> NLD, CLS dropped: (1, N, C_v)
    h = F.gelu(F.linear(hidden, projector["linear_1.weight"], projector["linear_1.bias"]))
    return F.linear(h, projector["linear_2.weight"], projector["linear_2.bias"])  # (1, N, C_t)


def decoder_forward(model, tap, embeds):
    """llama2.c Transformer.forward from inputs_embeds, logits at every position; returns logits and softmax rows."""
    tap.records = []
    t = embeds.shape[1]
    h = embeds
    for layer in model.layers:
        h = layer(h, model.freqs_cos[:t], model.freqs_sin[:t])
    logits = model.output(model.norm(h))[0]                          # (T, V)
    rows, tap.records = torch.stack([r[0] for r in tap.records]), None  # (L, h, T, T)
    return logits, rows


def embed(model, ids, features, image_start):
    text = torch.tensor([0 if i == gio.IMAGE_TOKEN else i for i in ids]).unsqueeze(0)
    e = model.tok_embeddings(text).clone()                             # (1, T, C)
    e[0, image_start:image_start + features.shape[1]] = features[0]
    return e


def make(name, llama, tap, clip, out):
    text, layout, seed = gio.VARIANTS[name]
    decoder = build_decoder(llama, text, seed)
    tower = build_vision(clip, seed + 1)
    g = torch.Generator().manual_seed(seed + 2)
    cv, ct = gio.VISION["hidden_size"], text["hidden_size"]
    projector = {"linear_1.weight": torch.randn(ct, cv, generator=g) / cv ** 0.5, "linear_1.bias": 0.1 * torch.randn(ct, generator=g),
                 "linear_2.weight": torch.randn(ct, ct, generator=g) / ct ** 0.5, "linear_2.bias": 0.1 * torch.randn(ct, generator=g)}
    pixels = gio.pixel_values()
    with torch.no_grad():
        features = image_features(tower, projector, pixels)
        n = features.shape[1]
        at = gio.PROMPT.index(gio.IMAGE_TOKEN)
        ids = gio.PROMPT[:at] + [gio.IMAGE_TOKEN] * n + gio.PROMPT[at + 1:]
        logits, rows = decoder_forward(decoder, tap, embed(decoder, ids, features, at))
        rows_last = rows[:, :, -1, :]                                  # (L, h, T): query = last prompt position
        tokens, margins, seq = [], [], list(ids)
        for step in range(gio.MAX_NEW_TOKENS):                        # greedy, whole sequence recomputed each step
            step_logits, step_rows = decoder_forward(decoder, tap, embed(decoder, seq, features, at))
            top = step_logits[-1].topk(2)
            margins.append((top.values[0] - top.values[1]).item())
            if step == 1:
                rows_step2 = step_rows[:, :, -1, :]                    # (L, h, T+1): first answer token fed back
            tokens.append(int(top.indices[0]))
            seq.append(tokens[-1])
        # self-check: our inputs_embeds loop equals llama2.c's own forward on a text-only sequence
        ref = decoder(torch.tensor([gio.PROMPT[:at] + gio.PROMPT[at + 1:]]))[0, -1]
        mine, _ = decoder_forward(decoder, tap, decoder.tok_embeddings(torch.tensor([gio.PROMPT[:at] + gio.PROMPT[at + 1:]])))
        assert torch.allclose(ref, mine[-1], atol=1e-6), "inputs_embeds path disagrees with llama2.c forward"

    prefix = {"legacy": ("language_model.model.", "language_model.lm_head.", "vision_tower.", "multi_modal_projector."),
              "legacy-fused": ("language_model.model.", "language_model.lm_head.", "vision_tower.", "multi_modal_projector."),
              "new": ("model.language_model.", "lm_head.", "model.vision_tower.", "model.multi_modal_projector.")}[layout]
    weights = {prefix[0] + k: t for k, t in decoder_weights(decoder, text, layout.endswith("fused")).items()}
    weights[prefix[1] + "weight"] = decoder.output.weight
    weights.update({prefix[2] + k: t for k, t in vision_weights(tower).items()})
    weights.update({prefix[3] + k: t for k, t in projector.items()})
    expected = {
        "name": name, "prompt_ids": gio.PROMPT, "image_token_index": gio.IMAGE_TOKEN, "image_start": at,
        "image_token_count": n, "sequence_length": len(ids), "max_new_tokens": gio.MAX_NEW_TOKENS,
        "greedy_tokens": tokens, "min_greedy_margin": min(margins), "layout": layout,
        "tolerances": {"logits": 1e-4, "attention_rows": 1e-5},
        "references": {"decoder": "karpathy/llama2.c model.py @ " + args.llama2c_commit,
                       "vision": "openai/CLIP clip/model.py @ " + args.clip_commit,
                       "projector": "tools/golden/make_cpu_golden.py (torch.nn.functional)",
                       "torch": torch.__version__},
        "generator": "tools/golden/make_cpu_golden.py",
    }
    gio.check_fixture(expected, rows_last, rows_step2, margins)
    tensors = {"pixel_values": pixels, "logits": logits, "rows_last_prompt": rows_last, "rows_answer_step2": rows_step2}
    gio.write_fixture(os.path.join(out, name), gio.llava_config(text), weights, expected, tensors)
    print(f"{name}: T={len(ids)} image tokens={n} greedy={tokens} margin={min(margins):.3g} max row={rows_step2.max():.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--llama2c", required=True, help="path to karpathy/llama2.c model.py")
    parser.add_argument("--clip", required=True, help="path to openai/CLIP clip/model.py")
    parser.add_argument("--llama2c-commit", default="350e04fe35433e6d2941dce5a1f53308f87058eb")
    parser.add_argument("--clip-commit", default="d05afc436d78f1c48dc0dbf8e5980a9d471f35f6")
    parser.add_argument("--out", default="tests/fixtures/golden")
    parser.add_argument("--only", nargs="*", default=None, help="variant names (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    llama_module = load("llama2c_model", args.llama2c)
    softmax_tap = SoftmaxTap(llama_module.F)
    llama_module.F = softmax_tap
    clip_module = load("openai_clip_model", args.clip)
    for variant in args.only or gio.VARIANTS:
        make(variant, llama_module, softmax_tap, clip_module, args.out)
