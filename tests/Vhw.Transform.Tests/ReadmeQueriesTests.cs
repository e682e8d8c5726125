using System.Text.RegularExpressions;

namespace Vhw.Transform.Tests;

/// <summary>The worked questions of README.md's analyst section run against the marts and answer something.</summary>
public sealed partial class ReadmeQueriesTests(WarehouseFixture w)
{
    public static TheoryData<string> Statements()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        string readme = File.ReadAllText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException("README.md above the test binaries"), "README.md"));
        return new(SqlBlock().Matches(readme).SelectMany(m => SqlText.SplitStatements(m.Groups[1].Value)));
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void A_readme_query_runs_and_returns_rows(string sql)
    {
        using var q = new QueryRunner(w.Root);
        Assert.NotEmpty(q.Run(sql, TestContext.Current.CancellationToken).Rows);
    }

    [Fact]
    public void The_readme_has_three_worked_sql_questions() => Assert.True(Statements().Count >= 4);

    [GeneratedRegex(@"```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
