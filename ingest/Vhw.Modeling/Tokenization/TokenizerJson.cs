using System.Text.Json;

namespace Vhw.Modeling.Tokenization;

/// <summary>An entry of tokenizer.json <c>added_tokens</c>: matched in raw text before the model runs.</summary>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip, bool RStrip);

/// <summary>One text step of tokenizer.json's <c>normalizer</c> / <c>pre_tokenizer</c> that we support.</summary>
public abstract record TextStep
{
    /// <summary>normalizer Prepend: unconditionally prefix each segment (Llama-2: "▁").</summary>
    public sealed record Prepend(string Text) : TextStep;
    /// <summary>normalizer Replace with a literal pattern (Llama-2: " " → "▁").</summary>
    public sealed record Replace(string Pattern, string Content) : TextStep;
    /// <summary>pre_tokenizer Metaspace: spaces → replacement; prefix per scheme (always | first | never); split before each replacement.</summary>
    public sealed record Metaspace(char Replacement, string PrependScheme, bool Split) : TextStep;
    /// <summary>pre_tokenizer Punctuation (behaviour Isolated): each punctuation char is its own piece.</summary>
    public sealed record Punctuation : TextStep;
    /// <summary>pre_tokenizer Split with a literal pattern and behaviour Isolated (e.g. "\n" as its own piece).</summary>
    public sealed record SplitLiteral(string Pattern) : TextStep;
    /// <summary>pre_tokenizer WhitespaceSplit: split on whitespace, drop it.</summary>
    public sealed record WhitespaceSplit : TextStep;
    /// <summary>normalizer Lowercase.</summary>
    public sealed record Lowercase : TextStep;
}

/// <summary>
/// The subset of HF tokenizer.json we read: a BPE model (vocab, merges, unk, byte_fallback, fuse_unk,
/// ignore_merges), added_tokens, and normalizer/pre_tokenizer steps of the SentencePiece (Llama-2, Mistral,
/// Phi-3) kind. Byte-level BPE (GPT-2/Llama-3) and regex splits are refused with a clear message.
/// </summary>
public sealed record TokenizerJson(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<(string Left, string Right)> Merges,
    string? UnkToken,
    bool ByteFallback,
    bool FuseUnk,
    bool IgnoreMerges,
    IReadOnlyList<AddedToken> AddedTokens,
    IReadOnlyList<TextStep> Normalizer,
    IReadOnlyList<TextStep> PreTokenizer)
{
    public static TokenizerJson Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(source, "expected a JSON object");
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object) throw Bad(source, "missing 'model'");
            string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "BPE";
            if (type != "BPE") throw Bad(source, $"unsupported tokenizer model type '{type}' (supported: BPE)");
            foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
                if (model.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
                    throw Bad(source, $"model.{name} is not supported");
            if (!model.TryGetProperty("vocab", out var vocabEl) || vocabEl.ValueKind != JsonValueKind.Object) throw Bad(source, "missing model.vocab");
            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in vocabEl.EnumerateObject()) vocab[p.Name] = p.Value.GetInt32();
            if (vocab.Count == 0) throw Bad(source, "model.vocab is empty");
            var merges = new List<(string, string)>();
            if (model.TryGetProperty("merges", out var mergesEl) && mergesEl.ValueKind == JsonValueKind.Array)
                foreach (var m in mergesEl.EnumerateArray()) merges.Add(ParseMerge(m, source));
            string? unk = model.TryGetProperty("unk_token", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (unk is not null && !vocab.ContainsKey(unk)) throw Bad(source, $"unk_token '{unk}' is not in the vocab");

            var added = new List<AddedToken>();
            if (root.TryGetProperty("added_tokens", out var at) && at.ValueKind == JsonValueKind.Array)
                foreach (var a in at.EnumerateArray())
                    added.Add(new AddedToken(a.GetProperty("id").GetInt32(), a.GetProperty("content").GetString()!,
                        Flag(a, "special"), Flag(a, "lstrip"), Flag(a, "rstrip")));

            return new TokenizerJson(vocab, merges, unk, Flag(model, "byte_fallback"), Flag(model, "fuse_unk"), Flag(model, "ignore_merges"),
                added, Steps(root, "normalizer", source), Steps(root, "pre_tokenizer", source));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(source, $"malformed tokenizer.json ({e.Message})", e);
        }
    }

    static (string, string) ParseMerge(JsonElement m, string source)
    {
        if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2)
        {
            var (l, r) = (m[0].GetString()!, m[1].GetString()!);
            return l.Contains(' ') || r.Contains(' ') ? throw Bad(source, $"merge [\"{l}\", \"{r}\"] contains a space (not supported)") : (l, r);
        }
        var s = m.GetString() ?? "";
        int sp = s.IndexOf(' ');
        if (sp <= 0 || sp == s.Length - 1 || s.IndexOf(' ', sp + 1) >= 0) throw Bad(source, $"bad merge '{s}' (expected \"left right\")");
        return (s[..sp], s[(sp + 1)..]);
    }

    static List<TextStep> Steps(JsonElement root, string key, string source)
    {
        var steps = new List<TextStep>();
        if (root.TryGetProperty(key, out var el) && el.ValueKind == JsonValueKind.Object) AddSteps(el, key, source, steps);
        return steps;
    }

    static void AddSteps(JsonElement el, string key, string source, List<TextStep> steps)
    {
        string type = el.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "Sequence":
                foreach (var child in el.GetProperty(key == "normalizer" ? "normalizers" : "pretokenizers").EnumerateArray()) AddSteps(child, key, source, steps);
                break;
            case "Prepend": steps.Add(new TextStep.Prepend(el.GetProperty("prepend").GetString()!)); break;
            case "Replace":
                if (!el.GetProperty("pattern").TryGetProperty("String", out var pat)) throw Bad(source, $"{key} Replace with a regex pattern is not supported");
                steps.Add(new TextStep.Replace(pat.GetString()!, el.GetProperty("content").GetString()!));
                break;
            case "Lowercase": steps.Add(new TextStep.Lowercase()); break;
            case "Metaspace":
                var rep = el.TryGetProperty("replacement", out var r) ? r.GetString()! : "▁";
                string scheme = el.TryGetProperty("prepend_scheme", out var ps) && ps.ValueKind == JsonValueKind.String ? ps.GetString()!
                    : el.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.False ? "never" : "always";
                if (rep.Length != 1 || scheme is not ("always" or "first" or "never")) throw Bad(source, $"{key} Metaspace '{rep}'/{scheme} is not supported");
                steps.Add(new TextStep.Metaspace(rep[0], scheme, !el.TryGetProperty("split", out var sp) || sp.ValueKind != JsonValueKind.False));
                break;
            case "Punctuation":
                var behavior = el.TryGetProperty("behavior", out var b) ? b.GetString() : "Isolated";
                if (!string.Equals(behavior, "Isolated", StringComparison.OrdinalIgnoreCase)) throw Bad(source, $"{key} Punctuation behavior '{behavior}' is not supported (Isolated only)");
                steps.Add(new TextStep.Punctuation());
                break;
            case "Split":
                if (!el.GetProperty("pattern").TryGetProperty("String", out var lit) || lit.GetString() is not { Length: > 0 } literal)
                    throw Bad(source, $"{key} Split with a regex pattern is not supported");
                var splitBehavior = el.TryGetProperty("behavior", out var sb) ? sb.GetString() : "Isolated";
                if (!string.Equals(splitBehavior, "Isolated", StringComparison.OrdinalIgnoreCase) || Flag(el, "invert"))
                    throw Bad(source, $"{key} Split behavior '{splitBehavior}' is not supported (Isolated, not inverted, only)");
                steps.Add(new TextStep.SplitLiteral(literal));
                break;
            case "WhitespaceSplit": steps.Add(new TextStep.WhitespaceSplit()); break;
            case "ByteLevel": throw Bad(source, "byte-level BPE (GPT-2 / Llama-3 style) is not supported yet");
            default: throw Bad(source, $"{key} type '{type}' is not supported");
        }
    }

    static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    static InvalidDataException Bad(string source, string message, Exception? inner = null) => new($"{source}: {message}", inner);
}
