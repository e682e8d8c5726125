using Vhw.Modeling.Ablation;
using Vhw.Modeling.Generation;
using Vhw.Modeling.Llama;
using static TorchSharp.torch;

namespace Vhw.Modeling.Llava;

/// <summary>
/// The greedy loop behind <see cref="LlavaForConditionalGeneration.Generate"/>: prefill, then one cached step per
/// token. LastPrompt rows come from the prefill (last prompt position over the prompt); AnswerStep2 rows from the
/// forward that feeds the first generated token back (over prompt + itself) — run even when that token is EOS or
/// maxNewTokens ≤ 1, so every sample yields rows.
/// </summary>
internal static class LlavaGreedyDecoder
{
    public static GenerationResult Run(
        LlavaForConditionalGeneration lm, long[] inputIds, Tensor pixelValues, int maxNewTokens, long? eosTokenId, CaptureQuery? capture,
        HeadAblation? ablation = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(pixelValues);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        if (pixelValues.dim() != 4 || pixelValues.shape[0] != 1)
            throw new ArgumentException($"pixelValues must be (1, C, H, W), got [{string.Join(", ", pixelValues.shape)}]", nameof(pixelValues));
        var text = lm.Config.TextConfig;
        using var inference = inference_mode();
        using var scope = NewDisposeScope();

        var features = lm.Model.GetImageFeatures(pixelValues);                      // (1, N, C)
        int n = (int)features.shape[1];
        var (ids, imageStart) = ImageTokens.Expand(inputIds, lm.Config.ImageTokenIndex, n);
        int promptLength = ids.Length;
        var embeds = lm.Model.BuildInputsEmbeds(ids, imageStart, features);         // (1, T, C)
        using var cache = new LlamaKvCache(text, promptLength + Math.Max(maxNewTokens, 1) + 1, lm.Dtype, lm.Device);

        float[]? rows = null;
        var prefill = Step(lm, embeds, 0, cache, capture == CaptureQuery.LastPrompt, ablation);
        long token = prefill.Token;
        if (capture == CaptureQuery.LastPrompt) rows = prefill.Rows;
        long firstToken = token;

        var generated = new List<int>();
        bool stopped = eosTokenId is { } eos0 && token == eos0;
        if (!stopped && maxNewTokens > 0) generated.Add((int)token);
        for (int fed = 0; ; fed++)
        {
            bool captureHere = capture == CaptureQuery.AnswerStep2 && fed == 0;
            bool needMore = !stopped && generated.Count < maxNewTokens;
            if (!captureHere && !needMore) break;
            using var stepScope = NewDisposeScope();
            var tokenEmbeds = lm.Model.Embed([token], lm.Device);                    // (1, 1, C)
            var step = Step(lm, tokenEmbeds, promptLength + fed, cache, captureHere, ablation);
            if (captureHere) rows = step.Rows;
            if (!needMore) break;
            token = step.Token;
            if (eosTokenId is { } eos && token == eos) stopped = true;
            else generated.Add((int)token);
        }

        int keyCount = capture switch
        {
            CaptureQuery.LastPrompt => promptLength,
            CaptureQuery.AnswerStep2 => promptLength + 1,
            _ => 0,
        };
        return new GenerationResult(
            ids.Select(i => (int)i).ToArray(), imageStart, n, generated.ToArray(), (int)firstToken,
            rows, text.NumHiddenLayers, text.NumAttentionHeads, keyCount);
    }

    /// <summary>One forward at absolute position <paramref name="start"/>; returns the greedy next token and, if asked, the rows.</summary>
    private static (long Token, float[]? Rows) Step(
        LlavaForConditionalGeneration lm, Tensor embeds, int start, LlamaKvCache cache, bool captureRows, HeadAblation? ablation)
    {
        using var scope = NewDisposeScope();
        long t = embeds.shape[1];
        var positions = arange(start, start + t, dtype: ScalarType.Int64, device: lm.Device).unsqueeze(0); // (1, T)
        var output = lm.Model.forward(new LlamaModelInput(embeds, positions, cache, CaptureLastQuery: captureRows, Ablation: ablation));
        var last = output.LastHiddenState.narrow(1, t - 1, 1);                      // (1, 1, C)
        var logits = lm.LmHead(last).to(ScalarType.Float32);                          // (1, 1, vocab)
        long token = logits.argmax(-1).cpu().item<long>();
        float[]? rows = null;
        if (captureRows)
        {
            var captured = output.CapturedRows!;                                      // (L, 1, h, Tk)
            rows = captured.squeeze(1).contiguous().cpu().data<float>().ToArray();   // (L, h, Tk) row-major
        }
        return (token, rows);
    }
}
