using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vhw.Modeling.Tokenization;

/// <summary>
/// Writes a small, deterministic HF-format tokenizer (tokenizer.json + tokenizer_config.json) for the embedded
/// default model. Model: BPE with <c>ignore_merges</c> and no merges, i.e. a word-level vocabulary over the
/// corpus's pre-tokenized pieces; anything else falls back to single characters (printable ASCII, "\n")
/// and then to UTF-8 byte tokens &lt;0x00&gt;–&lt;0xFF&gt;, so every string encodes and round-trips.
/// Pre-tokenizer: Metaspace("▁", prepend_scheme "first"), Split("\n", Isolated), Punctuation(Isolated).
/// Ids: 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, 3 &lt;pad&gt;, 4 &lt;image&gt;, 5–260 bytes, then "▁" + characters, then words (ordinal order).
/// </summary>
public static class TinyTokenizerWriter
{
    public static readonly string[] SpecialTokens = ["<unk>", "<s>", "</s>", "<pad>", LlavaTokenizer.ImageToken];

    static readonly TextStep[] PreTokenizer = [new TextStep.Metaspace('▁', "first", true), new TextStep.SplitLiteral("\n"), new TextStep.Punctuation()];

    /// <summary>Writes the two files into <paramref name="folder"/> (created if needed); same corpus → same bytes.</summary>
    public static void Write(string folder, IEnumerable<string> corpus)
    {
        Directory.CreateDirectory(folder);
        var vocab = BuildVocab(corpus);
        File.WriteAllBytes(Path.Combine(folder, LlavaTokenizer.FileName), TokenizerJsonBytes(vocab));
        File.WriteAllBytes(Path.Combine(folder, LlavaTokenizer.ConfigFileName), ConfigBytes());
    }

    /// <summary>The vocabulary in id order.</summary>
    public static List<string> BuildVocab(IEnumerable<string> corpus)
    {
        var vocab = new List<string>(SpecialTokens);
        for (int b = 0; b < 256; b++) vocab.Add($"<0x{b:X2}>");
        vocab.Add("▁");
        vocab.Add("\n");
        for (char c = '!'; c <= '~'; c++) vocab.Add(c.ToString());
        var seen = vocab.ToHashSet(StringComparer.Ordinal);
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (var segment in text.Split(LlavaTokenizer.ImageToken))
                foreach (var piece in TextPipeline.Run(segment, true, [], PreTokenizer))
                {
                    words.Add(piece);
                    if (piece.Length > 1 && piece[0] == '▁') words.Add(piece[1..]); // word at segment start / after punctuation
                }
        vocab.AddRange(words.Where(w => seen.Add(w)));
        return vocab;
    }

    static byte[] TokenizerJsonBytes(List<string> vocab)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Options))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            for (int id = 0; id < SpecialTokens.Length; id++)
            {
                w.WriteStartObject();
                w.WriteNumber("id", id);
                w.WriteString("content", SpecialTokens[id]);
                foreach (var flag in new[] { "single_word", "lstrip", "rstrip", "normalized" }) w.WriteBoolean(flag, false);
                w.WriteBoolean("special", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNull("normalizer");
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject(); w.WriteString("type", "Metaspace"); w.WriteString("replacement", "▁");
            w.WriteString("prepend_scheme", "first"); w.WriteBoolean("split", true); w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("type", "Split");
            w.WriteStartObject("pattern"); w.WriteString("String", "\n"); w.WriteEndObject();
            w.WriteString("behavior", "Isolated"); w.WriteBoolean("invert", false); w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("type", "Punctuation"); w.WriteString("behavior", "Isolated"); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("post_processor");
            WriteDecoder(w);
            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteNull("dropout");
            w.WriteString("unk_token", "<unk>");
            w.WriteNull("continuing_subword_prefix");
            w.WriteNull("end_of_word_suffix");
            w.WriteBoolean("fuse_unk", true);
            w.WriteBoolean("byte_fallback", true);
            w.WriteBoolean("ignore_merges", true);
            w.WriteStartObject("vocab");
            for (int id = 0; id < vocab.Count; id++) w.WriteNumber(vocab[id], id);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    /// <summary>Llama's decoder chain (what our Decode implements): ▁ → space, byte fallback, fuse, strip one leading space.</summary>
    static void WriteDecoder(Utf8JsonWriter w)
    {
        w.WriteStartObject("decoder");
        w.WriteString("type", "Sequence");
        w.WriteStartArray("decoders");
        w.WriteStartObject(); w.WriteString("type", "Replace");
        w.WriteStartObject("pattern"); w.WriteString("String", "▁"); w.WriteEndObject();
        w.WriteString("content", " "); w.WriteEndObject();
        w.WriteStartObject(); w.WriteString("type", "ByteFallback"); w.WriteEndObject();
        w.WriteStartObject(); w.WriteString("type", "Fuse"); w.WriteEndObject();
        w.WriteStartObject(); w.WriteString("type", "Strip"); w.WriteString("content", " ");
        w.WriteNumber("start", 1); w.WriteNumber("stop", 0); w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static byte[] ConfigBytes()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Options))
        {
            w.WriteStartObject();
            w.WriteString("tokenizer_class", "LlamaTokenizerFast");
            w.WriteString("bos_token", "<s>");
            w.WriteString("eos_token", "</s>");
            w.WriteString("unk_token", "<unk>");
            w.WriteString("pad_token", "<pad>");
            w.WriteBoolean("add_bos_token", true);
            w.WriteBoolean("add_eos_token", false);
            w.WriteNumber("model_max_length", 2048);
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    static readonly JsonWriterOptions Options = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
