namespace Vhw.Modeling.Generation;

/// <summary>
/// Result of one greedy generation with attention capture for a single sample.
/// </summary>
/// <param name="InputIds">Prompt token ids after the image placeholder was expanded to the patch count.</param>
/// <param name="ImageStart">Index in <see cref="InputIds"/> of the first image token.</param>
/// <param name="ImageTokenCount">Number of image tokens (contiguous from <see cref="ImageStart"/>).</param>
/// <param name="GeneratedIds">Greedy tokens, EOS excluded, at most maxNewTokens.</param>
/// <param name="Rows">Captured softmax rows, row-major (Layers, Heads, KeyCount); null when capture was off.</param>
/// <param name="KeyCount">Keys of the captured query: prompt length (+1 for AnswerStep2).</param>
public sealed record GenerationResult(
    int[] InputIds,
    int ImageStart,
    int ImageTokenCount,
    int[] GeneratedIds,
    int FirstTokenId,
    float[]? Rows,
    int Layers,
    int Heads,
    int KeyCount);
