using Vhw.Modeling.Prompting;

namespace Vhw.Modeling.Tests;

public sealed class BenchmarkPromptTests
{
    const string Vicuna = "A chat between a curious human and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the human's questions. USER: <image>\n";

    [Fact]
    public void Pope_and_pointqa_get_the_short_answer_suffix_in_the_vicuna_template()
    {
        Assert.Equal(Vicuna + "Is there a dog in the image?\nAnswer the question using a single word or phrase. ASSISTANT:",
            BenchmarkPromptStyle.For(BenchmarkKind.Pope).Prompt(ConversationTemplate.Vicuna, "Is there a dog in the image? "));
        Assert.Equal(Vicuna + "How many of these are there?\nAnswer the question using a single word or phrase. ASSISTANT:",
            BenchmarkPromptStyle.For(BenchmarkKind.PointQA).Prompt(ConversationTemplate.Vicuna, "How many of these are there?"));
    }

    [Fact]
    public void Mmbench_prepends_the_hint_and_lists_the_options_with_the_letter_instruction()
    {
        var style = BenchmarkPromptStyle.For(BenchmarkKind.MMBench);
        Assert.Equal(
            "The image shows two shapes.\nWhich shape is blue?\nA. square\nB. triangle\nC. circle\nAnswer with the option's letter from the given choices directly.",
            style.UserText("Which shape is blue?", "The image shows two shapes.", ["square", "triangle", "circle"]));
        Assert.Equal("Which shape is blue?\nA. square\nB. triangle\nAnswer with the option's letter from the given choices directly.",
            style.UserText("Which shape is blue?", hint: "  ", options: ["square", "triangle"]));
    }

    [Fact]
    public void Seed_lists_four_options_and_qbench_adds_its_lead_in()
    {
        Assert.Equal("What colour is it?\nA. red\nB. green\nC. blue\nD. yellow\nAnswer with the option's letter from the given choices directly.",
            BenchmarkPromptStyle.For(BenchmarkKind.SeedBench).UserText("What colour is it?", "ignored hint", ["red", "green", "blue", "yellow"]));
        Assert.Equal("Is the image sharp?\nChoose between one of the options as follows:\nA. Yes\nB. No\nAnswer with the option's letter from the given choices directly.",
            BenchmarkPromptStyle.For(BenchmarkKind.QBench).UserText("Is the image sharp?", null, ["Yes", "No"]));
    }

    [Fact]
    public void Questions_jsonl_keeps_its_question_verbatim()
    {
        const string q = "Is it red?\nAnswer the question using a single word or phrase.";
        Assert.Equal(ConversationTemplate.Vicuna.Format(q), BenchmarkPromptStyle.For(BenchmarkKind.Questions).Prompt(ConversationTemplate.Vicuna, q));
    }

    [Theory]
    [InlineData("llama3", "<|start_header_id|>user<|end_header_id|>\n\n<image>\nQ?\nA. x\nB. y\nAnswer with the option's letter from the given choices directly.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData("phi3", "<|user|>\n<image>\nQ?\nA. x\nB. y\nAnswer with the option's letter from the given choices directly.<|end|>\n<|assistant|>\n")]
    [InlineData("mistral", "[INST] <image>\nQ?\nA. x\nB. y\nAnswer with the option's letter from the given choices directly. [/INST]")]
    public void Every_family_wraps_the_same_user_turn(string family, string expected) =>
        Assert.Equal(expected, BenchmarkPromptStyle.For(BenchmarkKind.SeedBench).Prompt(ConversationTemplate.ForFamily(family), "Q?", null, ["x", "y"]));

    [Fact]
    public void Multiple_choice_without_two_to_four_options_is_refused()
    {
        var style = BenchmarkPromptStyle.For(BenchmarkKind.MMBench);
        Assert.Contains("needs 2–4 options, got 1", Assert.Throws<ArgumentException>(() => style.UserText("Q", null, ["only"])).Message);
        Assert.Throws<ArgumentException>(() => style.UserText("Q", null, ["a", "b", "c", "d", "e"]));
        Assert.Throws<ArgumentException>(() => style.UserText("Q"));
    }

    [Fact]
    public void Kind_names_round_trip_and_unknown_names_are_null()
    {
        foreach (var kind in Enum.GetValues<BenchmarkKind>()) Assert.Equal(kind, BenchmarkKinds.TryParse(kind.Name().ToUpperInvariant()));
        Assert.Null(BenchmarkKinds.TryParse("vqa"));
        Assert.True(BenchmarkKind.QBench.IsMultipleChoice());
        Assert.False(BenchmarkKind.PointQA.IsMultipleChoice());
    }
}
