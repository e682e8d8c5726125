using System.Collections;

namespace Vhw.Ingest.Capture;

/// <summary>A sorted set of key positions (image, region or text tokens of one captured row).</summary>
public sealed class TokenSet : IEnumerable<int>
{
    readonly int[] _positions;

    TokenSet(int[] sortedDistinct) => _positions = sortedDistinct;

    public int Count => _positions.Length;

    public static TokenSet Range(int start, int count) =>
        new(Enumerable.Range(start, count).ToArray());

    public static TokenSet Of(IEnumerable<int> positions) =>
        new(positions.Distinct().Order().ToArray());

    /// <summary>All positions in [0, nKeys) that are not in <paramref name="excluded"/>.</summary>
    public static TokenSet Complement(TokenSet excluded, int nKeys)
    {
        var ex = new HashSet<int>(excluded._positions);
        return new(Enumerable.Range(0, nKeys).Where(j => !ex.Contains(j)).ToArray());
    }

    public bool Contains(int position) => Array.BinarySearch(_positions, position) >= 0;

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_positions).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The three token sets of one captured row (paper-method.md "Token sets").</summary>
/// <param name="Image">Image tokens V.</param>
/// <param name="Region">Region tokens R ⊂ V (image tokens under the sample's box); null without a box.</param>
/// <param name="Text">Every key that is not an image token (system/question text, specials, the fed-back answer token).</param>
public sealed record TokenSpans(int KeyCount, TokenSet Image, TokenSet? Region, TokenSet Text)
{
    /// <param name="regionPatches">Patch indices (row-major over the vision grid) under the box, or null.</param>
    public static TokenSpans For(int keyCount, int imageStart, int imageTokenCount, IReadOnlyList<int>? regionPatches)
    {
        if (imageStart < 0 || imageStart + imageTokenCount > keyCount)
            throw new ArgumentOutOfRangeException(nameof(imageStart), $"image span [{imageStart}, {imageStart + imageTokenCount}) outside {keyCount} keys");
        var image = TokenSet.Range(imageStart, imageTokenCount);
        TokenSet? region = null;
        if (regionPatches is not null)
        {
            foreach (int p in regionPatches)
                if (p < 0 || p >= imageTokenCount)
                    throw new ArgumentOutOfRangeException(nameof(regionPatches), $"patch {p} outside {imageTokenCount} image tokens");
            region = TokenSet.Of(regionPatches.Select(p => imageStart + p));
        }
        return new TokenSpans(keyCount, image, region, TokenSet.Complement(image, keyCount));
    }
}
