using Vhw.Modeling.Prompting;

namespace Vhw.Ingest.Benchmarks.Sources;

/// <summary>
/// A benchmark on disk in one published format. <see cref="Read"/> streams samples and rejects in file order;
/// a bad row becomes a <see cref="BenchmarkReject"/> (file, line, reason) and reading goes on. Only a missing or
/// unusable file as a whole (no header, unreadable) throws.
/// </summary>
public interface IBenchmarkSource
{
    /// <summary>The warehouse partition value (folder name, or file name without extension).</summary>
    string Name { get; }

    BenchmarkKind Kind { get; }

    /// <summary>The folder relative image paths start from (also the default image root).</summary>
    string Root { get; }

    /// <summary>The files whose bytes define the samples, in a fixed order (hashed into the run id).</summary>
    IReadOnlyList<string> Files { get; }

    /// <summary>Settings that change the samples (e.g. "circular=true"); part of the run id. Empty when none.</summary>
    string Settings { get; }

    IEnumerable<BenchmarkItem> Read();
}

/// <summary>Options that apply to every source.</summary>
/// <param name="ImageRoots">Folders searched for image files before the format's usual places (POPE, SEED, Q-Bench, PointQA).</param>
/// <param name="Circular">Multiple choice: ask every rotation of the options (MMBench circular evaluation); a
/// question is correct when every round is.</param>
public sealed record BenchmarkSourceOptions(IReadOnlyList<string> ImageRoots, bool Circular)
{
    public static readonly BenchmarkSourceOptions Default = new([], false);
}
