using Vhw.Modeling.Configs;
using Vhw.Modeling.Prompting;

namespace Vhw.Modeling.Tests;

public sealed class PromptTests
{
    [Fact]
    public void Vicuna_v1_prompt_matches_llava()
    {
        Assert.Equal(
            "A chat between a curious human and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the human's questions. USER: <image>\nIs it red? ASSISTANT:",
            ConversationTemplate.Vicuna.Format("Is it red?"));
    }

    [Fact]
    public void Family_lookup_is_case_insensitive_and_unknown_families_are_named()
    {
        Assert.Same(ConversationTemplate.Vicuna, ConversationTemplate.ForFamily("Vicuna"));
        Assert.Same(ConversationTemplate.Mistral, ConversationTemplate.ForFamily("mistral"));
        Assert.Equal("[INST] <image>\nQ [/INST]", ConversationTemplate.Mistral.Format("Q"));
        Assert.Same(ConversationTemplate.Vicuna, ConversationTemplate.ForModel(new LlavaConfig()));
        Assert.Contains("no conversation template for family 'gpt2'", Assert.Throws<ArgumentException>(() => ConversationTemplate.ForFamily("gpt2")).Message);
    }

    [Fact]
    public void Question_text_is_inserted_verbatim()
    {
        Assert.Contains("a {question} b", ConversationTemplate.Phi3.Format("a {question} b"));
        Assert.Equal("Is it red?\nAnswer the question using a single word or phrase.",
            BenchmarkPrompts.WithSuffix("Is it red? ", BenchmarkPrompts.SingleWordOrPhrase));
    }

    [Fact]
    public void Corpus_text_has_no_slots()
    {
        var parts = ConversationTemplate.Vicuna.CorpusText().ToList();
        Assert.Contains(parts, p => p.Contains("ASSISTANT:"));
        Assert.DoesNotContain(parts, p => p.Contains("{question}") || p.Contains("<image>"));
    }
}
