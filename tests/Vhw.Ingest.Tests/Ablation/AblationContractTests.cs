using System.Reflection;
using System.Text.Json.Serialization;
using DuckDB.NET.Data;
using Vhw.Ingest.Storage.Rows;
using Vhw.Ingest.Tests.EndToEnd;
using Vhw.Transform;
using Vhw.Transform.Sharing;

namespace Vhw.Ingest.Tests.Ablation;

/// <summary>The ablation row classes, schema.sql's column comments and the transform's empty views agree.</summary>
public sealed class AblationContractTests
{
    [Theory]
    [InlineData("ablation_results", typeof(AblationResultRow))]
    [InlineData("ablation_samples", typeof(AblationSampleRow))]
    public void Row_columns_equal_schema_sql_and_the_empty_view(string table, Type row)
    {
        var written = row.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).ToList();
        var schema = RawSchema.Parse(File.ReadAllText(Path.Combine(Duck.RepoRoot, "schema.sql"))).Single(t => t.Name == table);
        Assert.Equal(written, schema.Columns.Select(c => c.Name));
        Assert.Equal(["model", "benchmark"], schema.PartitionKeys);

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = RawTables.OptionalEmptyViews[table];
        cmd.ExecuteNonQuery();
        cmd.CommandText = $"select column_name, column_type from (describe {table})";
        using var r = cmd.ExecuteReader();
        var empty = new List<(string, string)>();
        while (r.Read()) empty.Add((r.GetString(0), r.GetString(1)));
        Assert.Equal([.. written, "model", "benchmark"], empty.Select(c => c.Item1));
        foreach (var (name, type) in empty.Where(c => c.Item1 is not ("model" or "benchmark")))
            Assert.True(RawSchema.Compatible(schema.Columns.Single(c => c.Name == name).Type, type), $"{table}.{name}: empty view {type}");
    }
}
