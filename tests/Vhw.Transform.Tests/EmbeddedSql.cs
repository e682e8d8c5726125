namespace Vhw.Transform.Tests;

/// <summary>The embedded SQL project with one file's text edited, for tests that break or vary one model or macro.</summary>
internal static class EmbeddedSql
{
    /// <summary>The text of the embedded file at <paramref name="path"/> (models/…, macros/…).</summary>
    public static string Text(string path) => SqlProject.Embedded.Files.Single(f => f.Path == path).Sql;

    /// <summary>
    /// <see cref="SqlProject.Embedded"/> with <paramref name="text"/> in the file at <paramref name="path"/> replaced by
    /// <paramref name="replacement"/>; fails unless the text occurs exactly once (an edit that silently matched nothing
    /// would test the unedited project).
    /// </summary>
    public static SqlProject Replacing(string path, string text, string replacement)
    {
        string sql = Text(path);
        Assert.True(sql.Split(text).Length == 2, $"{path} holds '{text.Trim()}' {sql.Split(text).Length - 1} times, expected once");
        return SqlProject.Embedded.WithFile(path, sql.Replace(text, replacement, StringComparison.Ordinal));
    }
}
