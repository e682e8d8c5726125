using Vhw.Modeling.Loading;

namespace Vhw.Modeling.Configs;

/// <summary>Range checks shared by the config records; every failure names the file and the JSON field.</summary>
internal static class ConfigChecks
{
    /// <summary>Upper bound for any width (hidden, intermediate, vocab): refuses absurd sizes before allocation.</summary>
    public const int MaxWidth = 1 << 22;

    /// <summary>Upper bound for layer and head counts.</summary>
    public const int MaxCount = 1024;

    public static void InRange(string file, string field, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new CheckpointException(file, $"config field '{field}' = {value} is out of range [{min}, {max}]");
    }

    public static void Positive(string file, string field, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new CheckpointException(file, $"config field '{field}' = {value} must be a finite positive number");
    }

    public static void OneOf(string file, string field, string? value, params string[] allowed)
    {
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
            throw new CheckpointException(file, $"config field '{field}' = '{value}' is not supported (supported: {string.Join(", ", allowed)})");
    }

    public static void Fail(string file, string field, string problem) =>
        throw new CheckpointException(file, $"config field '{field}': {problem}");
}
