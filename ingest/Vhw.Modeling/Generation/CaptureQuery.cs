namespace Vhw.Modeling.Generation;

/// <summary>
/// Which query's attention row is captured (Bi et al. 2025, §3; paper-method.md "What is captured").
/// </summary>
public enum CaptureQuery
{
    /// <summary>The first generated answer token, fed back at decoding step 2; keys = prompt + itself (the authors' choice).</summary>
    AnswerStep2,
    /// <summary>The last prompt position (the one that predicts the first answer token); keys = prompt.</summary>
    LastPrompt,
}

public static class CaptureQueryNames
{
    public static string ToWarehouseName(this CaptureQuery q) => q switch
    {
        CaptureQuery.AnswerStep2 => "answer_step2",
        CaptureQuery.LastPrompt => "last_prompt",
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    public static CaptureQuery Parse(string name) => name switch
    {
        "answer_step2" => CaptureQuery.AnswerStep2,
        "last_prompt" => CaptureQuery.LastPrompt,
        _ => throw new ArgumentException($"unknown query kind '{name}' (expected answer_step2 or last_prompt)"),
    };
}
