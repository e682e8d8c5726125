using Vhw.Modeling.Ablation;
using Vhw.Modeling.Functional;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llama;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

/// <summary>
/// The batched greedy loop behind <see cref="LlavaForConditionalGeneration.GenerateBatch"/>: the same schedule as
/// <see cref="LlavaGreedyDecoder"/> (prefill, then one cached step per token; the AnswerStep2 forward always runs) for
/// B prompts at once. Prompts are left-padded to the longest (zero embeddings at the pads); the HF attention_mask hides
/// the pad keys on every attention path and position ids are cumsum(mask) − 1, so each row computes what its prompt
/// computes alone. Rows stop at their own EOS (a stopped row keeps feeding its last token until every row is done, and
/// what it generates is dropped). Each result is sliced to its sample's real keys, so it means what batch 1 means.
/// </summary>
internal static class LlavaBatchDecoder
{
    public static GenerationResult[] Run(
        LlavaForConditionalGeneration lm, IReadOnlyList<long[]> inputIds, Tensor pixelValues, int maxNewTokens, long? eosTokenId,
        CaptureQuery? capture, HeadAblation? ablation = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(pixelValues);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        int b = inputIds.Count;
        if (b == 0) return [];
        if (pixelValues.dim() != 4 || pixelValues.shape[0] != b)
            throw new ArgumentException($"pixelValues must be ({b}, C, H, W) for {b} prompts, got [{string.Join(", ", pixelValues.shape)}]", nameof(pixelValues));
        var text = lm.Config.TextConfig;
        using var inference = inference_mode();
        using var scope = NewDisposeScope();

        var features = lm.Model.GetImageFeatures(pixelValues);                      // (B, N, C)
        int n = (int)features.shape[1];
        var prompts = new (long[] Ids, int ImageStart)[b];
        for (int i = 0; i < b; i++)
            prompts[i] = ImageTokens.Expand(inputIds[i], lm.Config.ImageTokenIndex, n);
        int width = prompts.Max(p => p.Ids.Length);                                  // T: the longest prompt
        int[] pads = prompts.Select(p => width - p.Ids.Length).ToArray();
        var embeds = cat(prompts.Select((p, i) => LeftPadded(lm, p.Ids, p.ImageStart, features.narrow(0, i, 1), pads[i])).ToList(), 0); // (B, T, C)
        // no pad anywhere (equal lengths): no attention_mask, so every layer keeps the unpadded fast paths
        Tensor? valid = pads.Any(p => p > 0) ? arange(width, device: lm.Device).unsqueeze(0)
            .ge(tensor(pads.Select(p => (long)p).ToArray(), device: lm.Device).unsqueeze(1)) : null; // (B, T) bool
        var positions = valid is null ? arange(width, dtype: ScalarType.Int64, device: lm.Device).unsqueeze(0).expand(b, width)
            : KeyPadding.PositionIds(valid);                                         // (B, T)
        using var cache = new LlamaKvCache(text, width + Math.Max(maxNewTokens, 1) + 1, lm.Dtype, lm.Device, b);

        var prefill = Step(lm, embeds, positions, valid, cache, capture == CaptureQuery.LastPrompt, ablation);
        long[] tokens = prefill.Tokens;
        long[] firstTokens = (long[])tokens.Clone();
        Tensor? rows = capture == CaptureQuery.LastPrompt ? prefill.Rows : null;     // (L, B, h, Tk) on the CPU

        var generated = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var stopped = new bool[b];
        for (int i = 0; i < b; i++)
        {
            stopped[i] = eosTokenId is { } eos0 && tokens[i] == eos0;
            if (!stopped[i] && maxNewTokens > 0) generated[i].Add((int)tokens[i]);
        }
        for (int fed = 0; ; fed++)
        {
            bool captureHere = capture == CaptureQuery.AnswerStep2 && fed == 0;
            bool[] needMore = Enumerable.Range(0, b).Select(i => !stopped[i] && generated[i].Count < maxNewTokens).ToArray();
            if (!captureHere && !needMore.Any(x => x)) break;
            using var stepScope = NewDisposeScope();
            var tokenEmbeds = lm.Model.Embed(tokens, lm.Device).view(b, 1, -1);       // (B, 1, C)
            var stepPositions = tensor(prompts.Select(p => (long)(p.Ids.Length + fed)).ToArray(), device: lm.Device).unsqueeze(1); // (B, 1)
            if (valid is not null)
            {
                valid = cat([valid, ones(b, 1, dtype: ScalarType.Bool, device: lm.Device)], 1)
                    .MoveToOuterDisposeScope();                                          // (B, Tk) the fed token is real
            }
            var step = Step(lm, tokenEmbeds, stepPositions, valid, cache, captureHere, ablation);
            if (captureHere) rows = step.Rows!.MoveToOuterDisposeScope();
            for (int i = 0; i < b; i++)
            {
                if (!needMore[i]) continue;
                tokens[i] = step.Tokens[i];
                if (eosTokenId is { } eos && tokens[i] == eos) stopped[i] = true;
                else generated[i].Add((int)tokens[i]);
            }
        }

        var results = new GenerationResult[b];
        for (int i = 0; i < b; i++)
        {
            var (ids, imageStart) = prompts[i];
            int keyCount = capture switch
            {
                CaptureQuery.LastPrompt => ids.Length,
                CaptureQuery.AnswerStep2 => ids.Length + 1,
                _ => 0,
            };
            float[]? sampleRows = rows is null ? null
                : rows.select(1, i).narrow(2, pads[i], keyCount).contiguous().data<float>().ToArray(); // (L, h, keys) row-major, pad keys dropped
            results[i] = new GenerationResult(
                ids.Select(t => (int)t).ToArray(), imageStart, n, generated[i].ToArray(), (int)firstTokens[i],
                sampleRows, text.NumHiddenLayers, text.NumAttentionHeads, keyCount);
        }
        return results;
    }

    /// <summary>One prompt's embeddings (1, T_i, C) after <paramref name="pad"/> zero vectors: (1, T, C).</summary>
    private static Tensor LeftPadded(LlavaForConditionalGeneration lm, long[] ids, int imageStart, Tensor features, int pad)
    {
        using var scope = NewDisposeScope();
        var embeds = lm.Model.BuildInputsEmbeds(ids, imageStart, features);         // (1, T_i, C)
        if (pad > 0)
            embeds = cat([zeros(1, pad, embeds.shape[2], dtype: embeds.dtype, device: embeds.device), embeds], 1); // (1, T, C)
        return embeds.MoveToOuterDisposeScope();
    }

    /// <summary>One forward of the whole batch; the greedy next token of every row and, if asked, the rows (L, B, h, Tk) on the CPU.</summary>
    private static (long[] Tokens, Tensor? Rows) Step(
        LlavaForConditionalGeneration lm, Tensor embeds, Tensor positions, Tensor? valid, LlamaKvCache cache, bool captureRows,
        HeadAblation? ablation)
    {
        using var scope = NewDisposeScope();
        long t = embeds.shape[1];
        var output = lm.Model.forward(new LlamaModelInput(embeds, positions, cache, CaptureLastQuery: captureRows, Ablation: ablation,
            AttentionMask: valid));
        var last = output.LastHiddenState.narrow(1, t - 1, 1);                      // (B, 1, C)
        var logits = lm.LmHead(last).to(ScalarType.Float32);                          // (B, 1, vocab)
        long[] tokens = logits.argmax(-1).reshape(-1).cpu().data<long>().ToArray();  // (B)
        var rows = captureRows ? output.CapturedRows!.cpu().MoveToOuterDisposeScope() : null; // (L, B, h, Tk)
        return (tokens, rows);
    }
}
