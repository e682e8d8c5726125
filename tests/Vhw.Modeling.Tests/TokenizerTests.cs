using Vhw.Modeling.Prompting;
using Vhw.Modeling.Tokenization;

namespace Vhw.Modeling.Tests;

public sealed class TokenizerTests : IDisposable
{
    static readonly string[] Corpus =
    [
        "Is there a red square in the image?", "Is the circle in the box green?", "Yes", "No",
        .. ConversationTemplate.Vicuna.CorpusText(), BenchmarkPrompts.SingleWordOrPhrase,
    ];

    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vhw-tok-");

    public void Dispose() => _dir.Delete(recursive: true);

    LlavaTokenizer WriteTiny(string sub = "tiny")
    {
        string folder = Path.Combine(_dir.FullName, sub);
        TinyTokenizerWriter.Write(folder, Corpus);
        return LlavaTokenizer.Load(folder);
    }

    [Theory]
    [InlineData("Is there a red square in the image?")]
    [InlineData("Is the zebra in the box purple? It's 42 (maybe).")]
    [InlineData("two  spaces,\ttab\nnewline")]
    [InlineData("café ☃ — ünïcode")]
    public void Tiny_tokenizer_round_trips_text(string text)
    {
        var tok = WriteTiny();
        var ids = tok.Encode(text, addBos: true);
        Assert.Equal(tok.BosId, ids[0]);
        Assert.Equal(text, tok.Decode(ids));
    }

    [Fact]
    public void Corpus_words_are_single_tokens()
    {
        var tok = WriteTiny();
        var ids = tok.Encode("Is there a red square in the image?", addBos: false);
        Assert.Equal(["▁Is", "▁there", "▁a", "▁red", "▁square", "▁in", "▁the", "▁image", "?"], ids.Select(i => tok.IdToToken(i)));
    }

    [Fact]
    public void Image_placeholder_is_exactly_one_id_and_decode_skips_specials()
    {
        var tok = WriteTiny();
        string prompt = ConversationTemplate.Vicuna.Format("Is there a red square in the image?");
        var ids = tok.Encode(prompt, addBos: true);
        Assert.Single(ids, id => id == tok.ImageTokenId);
        Assert.DoesNotContain(ids, id => tok.IdToToken(id)!.StartsWith("<0x")); // no byte fallback for template words
        Assert.Equal(prompt.Replace("<image>", ""), tok.Decode(ids));
        Assert.Equal(prompt, tok.Decode(ids[1..], skipSpecialTokens: false));
    }

    [Fact]
    public void Prompt_words_stay_whole_around_newlines()
    {
        var tok = WriteTiny();
        string prompt = ConversationTemplate.Vicuna.Format(BenchmarkPrompts.WithSuffix("Is there a red square in the image?", BenchmarkPrompts.SingleWordOrPhrase));
        var tokens = tok.Encode(prompt, addBos: false).Select(i => tok.IdToToken(i)!).ToList();
        // no word fell back to characters (the "s" of "human's" after "'" is a word piece of its own)
        Assert.DoesNotContain(tokens.Where((t, i) => t.Length == 1 && char.IsLetter(t[0]) && tokens[i - 1] != "'"), _ => true);
        Assert.Equal(["<image>", "\n", "Is", "▁there"], tokens.SkipWhile(t => t != "<image>").Take(4));
        Assert.Equal(["?", "\n", "Answer", "▁the"], tokens.SkipWhile(t => t != "?").Take(4));
    }

    [Fact]
    public void Special_ids_and_vocab_size()
    {
        var tok = WriteTiny();
        Assert.Equal((0, 1, 2, 3, 4), (tok.TokenToId("<unk>")!.Value, tok.BosId, tok.EosId, tok.PadId, tok.ImageTokenId));
        Assert.Equal(TinyTokenizerWriter.BuildVocab(Corpus).Count, tok.VocabSize);
        Assert.Equal("Yes", tok.Decode([tok.TokenToId("▁Yes")!.Value, tok.EosId]));
    }

    [Fact]
    public void Writer_is_deterministic()
    {
        WriteTiny("a");
        WriteTiny("b");
        foreach (var f in new[] { LlavaTokenizer.FileName, LlavaTokenizer.ConfigFileName })
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir.FullName, "a", f)), File.ReadAllBytes(Path.Combine(_dir.FullName, "b", f)));
    }

    [Fact]
    public void Missing_or_malformed_tokenizer_json_gives_clear_errors()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => LlavaTokenizer.Load(_dir.FullName));
        Assert.Contains("tokenizer.json", missing.Message);

        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"), "{ \"model\": { \"type\": \"BPE\", ");
        var bad = Assert.Throws<InvalidDataException>(() => LlavaTokenizer.Load(_dir.FullName));
        Assert.Contains("malformed tokenizer.json", bad.Message);

        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"), "{ \"model\": { \"type\": \"WordPiece\", \"vocab\": {} } }");
        Assert.Contains("unsupported tokenizer model type 'WordPiece'", Assert.Throws<InvalidDataException>(() => LlavaTokenizer.Load(_dir.FullName)).Message);

        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"), "{ \"model\": { \"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"] } }");
        Assert.Contains("tokenizer.json", Assert.Throws<InvalidDataException>(() => LlavaTokenizer.Load(_dir.FullName)).Message); // merge of unknown tokens

        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"), "{ \"model\": { \"type\": \"BPE\", \"vocab\": {} } }");
        Assert.Contains("model.vocab is empty", Assert.Throws<InvalidDataException>(() => LlavaTokenizer.Load(_dir.FullName)).Message);
    }

    /// <summary>A Llama-2-style file: Prepend/Replace normalizer, no pre-tokenizer, real merges, byte fallback, fuse_unk.</summary>
    const string LlamaStyle = """
    {
      "added_tokens": [
        {"id": 0, "content": "<unk>", "special": true}, {"id": 1, "content": "<s>", "special": true},
        {"id": 2, "content": "</s>", "special": true}, {"id": 20, "content": "<image>", "special": true}
      ],
      "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
      "pre_tokenizer": null,
      "model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
        "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0x0A>": 3, "▁": 4, "h": 5, "e": 6, "l": 7, "o": 8,
                  "▁h": 9, "▁he": 10, "ll": 11, "▁hell": 12, "▁hello": 13},
        "merges": ["▁ h", "▁h e", "l l", ["▁he", "ll"], "▁hell o"]}
    }
    """;

    [Fact]
    public void Llama_style_bpe_merges_byte_fallback_and_added_tokens()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"), LlamaStyle);
        var tok = LlavaTokenizer.Load(_dir.FullName);
        Assert.Equal([1, 13, 3, 5, 6, 11, 8], tok.Encode("hello\nhello", addBos: true));
        // LLaVA's split on <image>: the next segment gets its own "▁" (HF fast-tokenizer behaviour).
        Assert.Equal([13, 20, 4, 3, 5, 6, 11, 8], tok.Encode("hello<image>\nhello", addBos: false));
        Assert.Equal([4, 0], tok.Encode("qq", addBos: false)); // unknown, no byte token: one fused <unk>
        Assert.Equal("hello\nhello", tok.Decode([1, 13, 3, 5, 6, 11, 8, 2]));
        Assert.Equal((20, 21, 0), (tok.ImageTokenId, tok.VocabSize, tok.PadId)); // no <pad>: pad = unk
    }
}
