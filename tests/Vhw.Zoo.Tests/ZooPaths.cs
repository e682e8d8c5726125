namespace Vhw.Zoo.Tests;

/// <summary>Where the committed zoo lives, found from the test binaries.</summary>
public static class ZooPaths
{
    public static string Models => Path.Combine(RepoRoot(), "zoo", "models");

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VisionHeadsWarehouse.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root (VisionHeadsWarehouse.sln) not found above the test binaries");
    }
}
