using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Vhw.Modeling.Tokenization;

/// <summary>
/// A LLaVA text tokenizer read from an HF folder (<c>tokenizer.json</c>, optional <c>tokenizer_config.json</c>).
/// Added tokens (<c>&lt;s&gt;</c>, <c>&lt;image&gt;</c>, …) are matched in the raw text first, so <c>&lt;image&gt;</c>
/// is exactly one id; the rest goes through the normalizer/pre-tokenizer (<see cref="TextPipeline"/>) and a
/// Microsoft.ML.Tokenizers <see cref="BpeTokenizer"/> built from the file's vocab and merges. byte_fallback,
/// fuse_unk and ignore_merges are applied here (the library has no such options).
/// </summary>
public sealed class LlavaTokenizer
{
    public const string FileName = "tokenizer.json";
    public const string ConfigFileName = "tokenizer_config.json";
    public const string ImageToken = "<image>";

    readonly TokenizerJson _json;
    readonly BpeTokenizer _bpe;
    readonly Dictionary<int, string> _idToToken = new();
    readonly Dictionary<string, int> _tokenToId = new(StringComparer.Ordinal);
    readonly AddedToken[] _addedByLength;
    readonly HashSet<char> _addedFirstChars;
    readonly HashSet<int> _specialIds;
    readonly int? _unkId;
    readonly char _spaceMarker;
    readonly bool _stripLeadingSpace;

    public int BosId { get; }
    public int EosId { get; }
    /// <summary>pad_token from tokenizer_config.json, else "&lt;pad&gt;", else unk, else EOS.</summary>
    public int PadId { get; }
    /// <summary>Id of the "&lt;image&gt;" added token; -1 when the tokenizer has none (original liuhaotian checkpoints).</summary>
    public int ImageTokenId { get; }
    /// <summary>Largest id + 1 over the vocab and added tokens.</summary>
    public int VocabSize { get; }

    LlavaTokenizer(TokenizerJson json, string? bos, string? eos, string? pad, string source)
    {
        _json = json;
        foreach (var (tok, id) in json.Vocab) { _idToToken[id] = tok; _tokenToId[tok] = id; }
        foreach (var a in json.AddedTokens) { _idToToken[a.Id] = a.Content; _tokenToId[a.Content] = a.Id; }
        _addedByLength = json.AddedTokens.Where(a => a.Content.Length > 0).OrderByDescending(a => a.Content.Length).ThenBy(a => a.Id).ToArray();
        _addedFirstChars = _addedByLength.Select(a => a.Content[0]).ToHashSet();
        _specialIds = json.AddedTokens.Where(a => a.Special).Select(a => a.Id).ToHashSet();
        _unkId = json.UnkToken is { } u ? json.Vocab[u] : null;
        VocabSize = _idToToken.Keys.Max() + 1;

        var meta = json.PreTokenizer.OfType<TextStep.Metaspace>().FirstOrDefault();
        _spaceMarker = meta?.Replacement ?? '▁';
        _stripLeadingSpace = meta is { PrependScheme: not "never" } || json.Normalizer.OfType<TextStep.Prepend>().Any(p => p.Text == "▁");

        try
        {
            _bpe = BpeTokenizer.Create(new BpeOptions(json.Vocab)
            {
                Merges = json.Merges.Select(m => $"{m.Left} {m.Right}"),
                UnknownToken = json.UnkToken,
                FuseUnknownTokens = false,
                PreTokenizer = WholeText.Instance,
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) { throw new InvalidDataException($"{source}: {e.Message}", e); }

        BosId = Require(bos ?? "<s>", "BOS", source);
        EosId = Require(eos ?? "</s>", "EOS", source);
        PadId = pad is not null ? Require(pad, "PAD", source)
            : _tokenToId.TryGetValue("<pad>", out int p) ? p : _unkId ?? EosId;
        ImageTokenId = _tokenToId.TryGetValue(ImageToken, out int img) ? img : -1;
    }

    /// <summary>Loads <c>tokenizer.json</c> (+ optional <c>tokenizer_config.json</c> for bos/eos/pad) from a model folder.</summary>
    /// <exception cref="FileNotFoundException">No tokenizer.json in the folder.</exception>
    /// <exception cref="InvalidDataException">Malformed or unsupported tokenizer.json.</exception>
    public static LlavaTokenizer Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer not found: {path}", path);
        var json = TokenizerJson.Parse(File.ReadAllText(path), path);
        string? bos = null, eos = null, pad = null;
        string cfgPath = Path.Combine(folder, ConfigFileName);
        if (File.Exists(cfgPath))
        {
            try
            {
                using var cfg = JsonDocument.Parse(File.ReadAllText(cfgPath));
                bos = TokenName(cfg.RootElement, "bos_token");
                eos = TokenName(cfg.RootElement, "eos_token");
                pad = TokenName(cfg.RootElement, "pad_token");
            }
            catch (JsonException e) { throw new InvalidDataException($"{cfgPath}: malformed JSON ({e.Message})", e); }
        }
        return new LlavaTokenizer(json, bos, eos, pad, path);
    }

    /// <summary>Token ids for <paramref name="text"/>; added tokens written literally (e.g. "&lt;image&gt;") become their single id.</summary>
    public int[] Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos) ids.Add(BosId);
        foreach (var (segment, start, added) in SplitOnAddedTokens(text))
        {
            if (added is not null) { ids.Add(added.Id); continue; }
            foreach (var piece in TextPipeline.Run(segment, start == 0, _json.Normalizer, _json.PreTokenizer))
                EncodePiece(piece, ids);
        }
        return ids.ToArray();
    }

    /// <summary>Text for <paramref name="ids"/>: byte-fallback tokens become UTF-8, the space marker a space, one leading space stripped.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (!_idToToken.TryGetValue(id, out var tok)) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is not in the vocabulary (size {VocabSize})");
            if (skipSpecialTokens && _specialIds.Contains(id)) continue;
            if (IsByteToken(tok, out byte b)) { bytes.Add(b); continue; }
            FlushBytes(sb, bytes);
            sb.Append(tok);
        }
        FlushBytes(sb, bytes);
        sb.Replace(_spaceMarker, ' ');
        if (_stripLeadingSpace && sb.Length > 0 && sb[0] == ' ') sb.Remove(0, 1);
        return sb.ToString();
    }

    /// <summary>The id of a vocab or added token string, or null.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token string of an id, or null.</summary>
    public string? IdToToken(int id) => _idToToken.GetValueOrDefault(id);

    IEnumerable<(string Text, int Start, AddedToken? Added)> SplitOnAddedTokens(string text)
    {
        int segStart = 0, i = 0;
        bool rstripPending = false;
        while (i < text.Length)
        {
            var hit = _addedFirstChars.Contains(text[i])
                ? _addedByLength.FirstOrDefault(a => string.CompareOrdinal(text, i, a.Content, 0, a.Content.Length) == 0)
                : null;
            if (hit is null) { i++; continue; }
            int segEnd = i;
            if (hit.LStrip) while (segEnd > segStart && char.IsWhiteSpace(text[segEnd - 1])) segEnd--;
            if (rstripPending) while (segStart < segEnd && char.IsWhiteSpace(text[segStart])) segStart++;
            if (segEnd > segStart) yield return (text[segStart..segEnd], segStart, null);
            yield return (hit.Content, i, hit);
            i += hit.Content.Length;
            segStart = i;
            rstripPending = hit.RStrip;
        }
        if (rstripPending) while (segStart < text.Length && char.IsWhiteSpace(text[segStart])) segStart++;
        if (segStart < text.Length) yield return (text[segStart..], segStart, null);
    }

    void EncodePiece(string piece, List<int> ids)
    {
        if (_json.IgnoreMerges && _json.Vocab.TryGetValue(piece, out int whole)) { ids.Add(whole); return; }
        int pos = 0;
        foreach (var t in _bpe.EncodeToTokens(piece, out _))
        {
            var (off, len) = t.Offset.GetOffsetAndLength(piece.Length);
            if (off > pos) Unknown(piece[pos..off], ids); // characters the library dropped
            if (_unkId == t.Id) Unknown(piece.Substring(off, len), ids);
            else ids.Add(t.Id);
            pos = Math.Max(pos, off + len);
        }
        if (pos < piece.Length) Unknown(piece[pos..], ids);
    }

    void Unknown(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (_json.ByteFallback)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var byteIds = bytes.Select(b => TokenToId($"<0x{b:X2}>")).ToArray();
            if (byteIds.All(x => x is not null)) { ids.AddRange(byteIds.Select(x => x!.Value)); return; }
        }
        if (_unkId is not int unk) throw new InvalidOperationException($"cannot encode '{text}': not in the vocab and the tokenizer has no unk_token");
        if (_json.FuseUnk && ids.Count > 0 && ids[^1] == unk) return;
        ids.Add(unk);
    }

    static bool IsByteToken(string tok, out byte b)
    {
        b = 0;
        return tok.Length == 6 && tok.StartsWith("<0x", StringComparison.Ordinal) && tok[5] == '>'
            && byte.TryParse(tok.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out b);
    }

    static void FlushBytes(StringBuilder sb, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }

    int Require(string token, string role, string source) =>
        _tokenToId.TryGetValue(token, out int id) ? id : throw new InvalidDataException($"{source}: {role} token '{token}' is not in the vocabulary");

    static string? TokenName(JsonElement cfg, string key) => cfg.TryGetProperty(key, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Object when v.TryGetProperty("content", out var c) => c.GetString(),
        _ => null,
    } : null;

    /// <summary>Hands the whole (already pre-tokenized) piece to the BPE model; the library's default would split on non-word chars such as "▁".</summary>
    sealed class WholeText : PreTokenizer
    {
        public static readonly WholeText Instance = new();

        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
            string.IsNullOrEmpty(text) ? [] : [(0, text.Length)];

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
            text.IsEmpty ? [] : [(0, text.Length)];
    }
}
