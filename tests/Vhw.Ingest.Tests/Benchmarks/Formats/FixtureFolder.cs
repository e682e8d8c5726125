using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Fixtures;
using Vhw.Ingest.Benchmarks.Sources;

namespace Vhw.Ingest.Tests.Benchmarks.Formats;

/// <summary>A fresh copy of the generated fixtures per test class, plus helpers to read a source.</summary>
public sealed class FixtureFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-fmt-").FullName;
    public BenchmarkFixtures.Paths Paths { get; }

    public FixtureFolder() => Paths = BenchmarkFixtures.Write(Root);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public static List<BenchmarkItem> Read(string spec, BenchmarkSourceOptions? options = null) =>
        BenchmarkSources.Open(spec, options ?? BenchmarkSourceOptions.Default).Read().ToList();

    public static List<BenchmarkSample> Samples(List<BenchmarkItem> items) => items.OfType<BenchmarkSample>().ToList();

    public static List<BenchmarkReject> Rejects(List<BenchmarkItem> items) => items.OfType<BenchmarkReject>().ToList();

    /// <summary>A copy of one fixture folder to damage (returned path is the copy of <paramref name="path"/>).</summary>
    public string Copy(string path)
    {
        string folder = File.Exists(path) ? Path.GetDirectoryName(path)! : path;
        string target = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var f in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(folder, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return File.Exists(path) ? Path.Combine(target, Path.GetFileName(path)) : target;
    }
}
