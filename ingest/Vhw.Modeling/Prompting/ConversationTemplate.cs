using Vhw.Modeling.Configs;

namespace Vhw.Modeling.Prompting;

/// <summary>
/// A single-turn LLaVA prompt for one decoder family: <see cref="Template"/> with "{question}" as the slot and
/// "&lt;image&gt;" where the image tokens go. BOS is not part of the text (the tokenizer adds it).
/// Vicuna v1 is LLaVA's <c>conv_llava_v1</c>; the others follow their checkpoints' chat templates and should be
/// checked against the model's own <c>chat_template</c> before a real run.
/// </summary>
public sealed record ConversationTemplate(string Name, string Template)
{
    public const string QuestionSlot = "{question}";
    public const string ImageSlot = "<image>";

    public const string VicunaSystem =
        "A chat between a curious human and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the human's questions.";

    /// <summary>LLaVA-1.5 / 1.6-vicuna / ViP-LLaVA (conv_llava_v1, sep " ").</summary>
    public static readonly ConversationTemplate Vicuna = new("vicuna_v1", VicunaSystem + " USER: <image>\n{question} ASSISTANT:");

    /// <summary>LLaVA-1.6-mistral (conv_mistral_instruct, LLAMA_2 style without a system prompt).</summary>
    public static readonly ConversationTemplate Mistral = new("mistral_instruct", "[INST] <image>\n{question} [/INST]");

    /// <summary>LLaVA-1.5-llama-3-8b (Llama-3 instruct header format; BOS &lt;|begin_of_text|&gt; comes from the tokenizer).</summary>
    public static readonly ConversationTemplate Llama3 = new("llama3",
        "<|start_header_id|>user<|end_header_id|>\n\n<image>\n{question}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");

    /// <summary>LLaVA-1.5-phi-3-mini (Phi-3 instruct format).</summary>
    public static readonly ConversationTemplate Phi3 = new("phi3", "<|user|>\n<image>\n{question}<|end|>\n<|assistant|>\n");

    static readonly Dictionary<string, ConversationTemplate> ByFamily = new(StringComparer.OrdinalIgnoreCase)
    {
        ["vicuna"] = Vicuna, ["vicuna_v1"] = Vicuna, ["llava_v1"] = Vicuna, ["llama2"] = Vicuna, ["llama"] = Vicuna,
        ["mistral"] = Mistral, ["mistral_instruct"] = Mistral,
        ["llama3"] = Llama3, ["llama-3"] = Llama3,
        ["phi3"] = Phi3, ["phi-3"] = Phi3,
    };

    public static IReadOnlyCollection<string> Families => ByFamily.Keys;

    /// <summary>The template for a decoder family name (case-insensitive; e.g. vicuna, mistral, llama3, phi3).</summary>
    public static ConversationTemplate ForFamily(string family) =>
        ByFamily.TryGetValue(family.Trim(), out var t) ? t
            : throw new ArgumentException($"no conversation template for family '{family}' (known: {string.Join(", ", ByFamily.Keys.Order())})");

    /// <summary>The template for a loaded model, by <see cref="LlavaConfig.Family"/>.</summary>
    public static ConversationTemplate ForModel(LlavaConfig config) => ForFamily(config.Family);

    /// <summary>The prompt text for one question (the question is inserted verbatim, suffix included).</summary>
    public string Format(string question)
    {
        int slot = Template.IndexOf(QuestionSlot, StringComparison.Ordinal);
        if (slot < 0) throw new InvalidOperationException($"template '{Name}' has no {QuestionSlot} slot");
        return string.Concat(Template.AsSpan(0, slot), question, Template.AsSpan(slot + QuestionSlot.Length));
    }

    /// <summary>The template's fixed text (slots removed), e.g. to build a tokenizer vocabulary.</summary>
    public IEnumerable<string> CorpusText() =>
        Template.Split(QuestionSlot).Select(part => part.Replace(ImageSlot, " ")).Where(part => part.Trim().Length > 0);
}
