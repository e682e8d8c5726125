using System.Text.RegularExpressions;

namespace Vhw.Transform.Tests;

public sealed class SqlConventionTests
{
    public static TheoryData<string> Models => new(SqlProject.Embedded.Models.Select(m => m.Path));

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_model_opens_with_what_it_is_and_its_grain_and_ends_with_select_star_from_final(string path)
    {
        var model = SqlProject.Embedded.Models.Single(m => m.Path == path);
        Assert.StartsWith($"-- {model.Name}: ", model.Sql);
        Assert.Matches(new Regex(@"^-- Grain: one row per .+$", RegexOptions.Multiline), model.Sql);
        Assert.Matches(new Regex(@"select \* from final\s*$"), model.Sql);
    }

    [Fact]
    public void Queries_read_marts_only()
    {
        string[] notMarts = SqlProject.Embedded.Models.Where(m => m.Layer != "marts").Select(m => m.Name)
            .Concat(RawTables.Required).Concat(RawTables.OptionalEmptyViews.Keys).ToArray();
        foreach (var query in SqlProject.Embedded.Queries)
        {
            Assert.StartsWith($"-- {query.Name}: ", query.Sql);
            var words = Regex.Matches(SqlText.StripCommentsAndStrings(query.Sql), @"from\s+(\w+)").Select(m => m.Groups[1].Value);
            Assert.DoesNotContain(words, w => notMarts.Contains(w));
        }
    }

    [Fact]
    public void A_cancelled_token_stops_the_transform()
    {
        string folder = TempFolder.Create("cancel");
        try
        {
            SyntheticWarehouse.Create(folder, withRejects: false);
            Assert.ThrowsAny<OperationCanceledException>(() => new TransformRunner().Run(folder, ct: new CancellationToken(canceled: true)));
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }
}
