namespace Vhw.Modeling.Llava;

/// <summary>Expands the single image placeholder of a prompt to one token per image feature.</summary>
public static class ImageTokens
{
    /// <summary>
    /// Returns the prompt with the one <paramref name="imageTokenIndex"/> placeholder replaced by
    /// <paramref name="count"/> copies, and the index of the first image token. A prompt that already holds
    /// exactly <paramref name="count"/> contiguous placeholders is returned as is. Anything else throws
    /// (HF raises when image tokens and features do not match).
    /// </summary>
    public static (long[] Ids, int ImageStart) Expand(long[] inputIds, long imageTokenIndex, int count)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var positions = Enumerable.Range(0, inputIds.Length).Where(i => inputIds[i] == imageTokenIndex).ToArray();
        if (positions.Length == 1)
        {
            int at = positions[0];
            var ids = new long[inputIds.Length - 1 + count];
            Array.Copy(inputIds, 0, ids, 0, at);
            Array.Fill(ids, imageTokenIndex, at, count);
            Array.Copy(inputIds, at + 1, ids, at + count, inputIds.Length - at - 1);
            return (ids, at);
        }
        if (positions.Length == count && count > 1 && positions[^1] - positions[0] == count - 1)
            return ((long[])inputIds.Clone(), positions[0]);
        throw new ArgumentException(
            $"image tokens and features do not match: the prompt holds {positions.Length} image token(s) (id {imageTokenIndex}); " +
            $"expected exactly 1 placeholder (or {count} contiguous) for {count} image features", nameof(inputIds));
    }
}
