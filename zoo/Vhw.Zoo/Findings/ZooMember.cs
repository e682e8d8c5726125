namespace Vhw.Zoo.Findings;

/// <summary>A shipped trained member (folder {family}-{scale}) and the folder of its untrained control ({name}-init; null when missing).</summary>
public sealed record ZooMember(string Name, string Dir, string? ControlDir)
{
    public const string ControlSuffix = "-init";

    /// <summary>
    /// The trained members in a models folder (zoo/models): every subfolder with a config.json whose name does not end in
    /// <see cref="ControlSuffix"/>, in ordinal name order, each with its control folder when that exists.
    /// </summary>
    public static IReadOnlyList<ZooMember> Discover(string modelsDir) =>
        Directory.GetDirectories(modelsDir)
            .Where(d => File.Exists(Path.Combine(d, "config.json")) && !Path.GetFileName(d).EndsWith(ControlSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(d =>
            {
                string control = d + ControlSuffix;
                return new ZooMember(Path.GetFileName(d), d, File.Exists(Path.Combine(control, "config.json")) ? control : null);
            })
            .ToList();
}
