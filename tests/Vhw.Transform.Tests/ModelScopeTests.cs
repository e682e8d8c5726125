namespace Vhw.Transform.Tests;

/// <summary>
/// schema.sql's head_facts reads one model's Parquet parts while the DuckDB variable vhw_model_scope names that model
/// (the runner sets it for each slice of a model-partitioned table), and every part otherwise.
/// </summary>
public sealed class ModelScopeTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, long> CountsByModel(QueryRunner q) =>
        q.Run("select model, count(*) from head_facts group by model", Ct).Rows
            .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1]));

    [Fact]
    public void Head_facts_hold_only_the_scoped_models_rows_and_every_row_without_a_usable_scope()
    {
        var all = w.Facts.GroupBy(f => f.Model).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.True(all.Count > 1);
        using var q = new QueryRunner(w.Root);
        Assert.Equal(all, CountsByModel(q));

        foreach (string model in all.Keys)
        {
            q.Run($"set variable {TransformRunner.ModelScopeVariable} = '{model}'", Ct);
            Assert.Equal(new Dictionary<string, long> { [model] = all[model] }, CountsByModel(q));
        }
        // not a partition name: every part is read (the partitioned models still filter by in_partition)
        q.Run($"set variable {TransformRunner.ModelScopeVariable} = 'toy-*'", Ct);
        Assert.Equal(all, CountsByModel(q));
        q.Run($"reset variable {TransformRunner.ModelScopeVariable}", Ct);
        Assert.Equal(all, CountsByModel(q));
    }
}
