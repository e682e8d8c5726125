using TorchSharp;
using Vhw.Modeling.Llama;
using Vhw.Modeling.Llava;
using static TorchSharp.torch;

namespace Vhw.Zoo.Training;

/// <summary>
/// Batched teacher-forced LLaVA forward for training (the runtime's own forward is batch 1). Each row is
/// prompt (image placeholder expanded to N image positions) + answer tokens, right-padded; causal attention makes the
/// padding invisible to the real positions. The projected image features replace the image positions (all rows share
/// the template prefix, so the image starts at the same index). Returns logits only at the answer-predicting positions.
/// </summary>
public static class LlavaBatch
{
    /// <summary>(M, vocab) logits and (M) target ids for the M answer tokens of the batch.</summary>
    public static (Tensor Logits, Tensor Targets) Forward(LlavaForConditionalGeneration model, nn.Module<Tensor, Tensor> projector,
        IReadOnlyList<EncodedSample> batch, Tensor features, long imageTokenId, long padId)
    {
        int n = (int)features.shape[1], b = batch.Count;
        int imageStart = Array.IndexOf(batch[0].PromptIds, (int)imageTokenId);
        var lengths = batch.Select(s => s.PromptIds.Length - 1 + n + s.AnswerIds.Length - 1).ToArray();
        int t = lengths.Max();
        var ids = new long[b * t];
        Array.Fill(ids, padId);
        var targetIndex = new List<long>();
        var targets = new List<long>();
        for (int r = 0; r < b; r++)
        {
            var s = batch[r];
            if (Array.IndexOf(s.PromptIds, (int)imageTokenId) != imageStart)
                throw new InvalidOperationException("every prompt in a batch must put the image placeholder at the same index");
            var row = s.PromptIds.Take(imageStart).Concat(Enumerable.Repeat((int)padId, n)).Concat(s.PromptIds.Skip(imageStart + 1))
                .Concat(s.AnswerIds.Take(s.AnswerIds.Length - 1)).ToArray();
            for (int j = 0; j < row.Length; j++) ids[r * t + j] = row[j];
            int promptLen = s.PromptIds.Length - 1 + n;
            for (int k = 0; k < s.AnswerIds.Length; k++)
            {
                targetIndex.Add((long)r * t + promptLen - 1 + k);                     // position predicting answer token k
                targets.Add(s.AnswerIds[k]);
            }
        }
        using var scope = NewDisposeScope();
        var imageRows = tensor(batch.Select(s => (long)s.ImageIndex).ToArray());
        var image = projector.forward(features.index_select(0, imageRows));           // (B, N, C)
        var embeds = model.Model.LanguageModel.EmbedTokens(tensor(ids, [b, t]));        // (B, T, C)
        embeds = cat([embeds.narrow(1, 0, imageStart), image, embeds.narrow(1, imageStart + n, t - imageStart - n)], 1); // (B, T, C)
        var positions = arange(t, dtype: ScalarType.Int64).unsqueeze(0).expand(b, t); // (B, T)
        var hidden = model.Model.forward(new LlamaModelInput(embeds, positions)).LastHiddenState; // (B, T, C)
        var picked = hidden.reshape(b * t, -1).index_select(0, tensor(targetIndex.ToArray())); // (M, C)
        var logits = model.LmHead(picked);                                             // (M, vocab)
        return (logits.MoveToOuterDisposeScope(), tensor(targets.ToArray()).MoveToOuterDisposeScope());
    }

    /// <summary>Teacher-forced exact match per sample (every answer token, EOS included, is the argmax), over <paramref name="samples"/>.</summary>
    public static double ExactMatch(LlavaForConditionalGeneration model, nn.Module<Tensor, Tensor> projector, IReadOnlyList<EncodedSample> samples,
        Tensor features, long imageTokenId, long padId, int batchSize = 64)
    {
        int correct = 0;
        using var noGrad = no_grad();
        foreach (var chunk in samples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (logits, targets) = Forward(model, projector, chunk, features, imageTokenId, padId);
            var ok = logits.argmax(1).eq(targets).data<bool>().ToArray();
            int at = 0;
            foreach (var s in chunk)
            {
                if (ok.Skip(at).Take(s.AnswerIds.Length).All(x => x)) correct++;
                at += s.AnswerIds.Length;
            }
        }
        return samples.Count == 0 ? 0 : (double)correct / samples.Count;
    }
}
