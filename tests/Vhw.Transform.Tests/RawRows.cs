using System.Globalization;

namespace Vhw.Transform.Tests;

/// <summary>The raw rows of a warehouse as the reference computations take them, read through schema.sql's views.</summary>
public static class RawRows
{
    public static (List<FactRow> Facts, List<RunRow> Runs, List<SampleRow> Samples, Dictionary<string, (int Layers, int Heads)> Shapes) Read(string root)
    {
        using var q = new QueryRunner(root);
        var facts = q.Run("select * from head_facts");
        var factRows = facts.Rows.Select(r => new FactRow(
            Str(facts, r, "model"), Str(facts, r, "benchmark"), Str(facts, r, "run_id"), Str(facts, r, "sample_id"),
            Str(facts, r, "query_kind"), Int(facts, r, "layer"), Int(facts, r, "head"), Int(facts, r, "n_keys"),
            Int(facts, r, "n_image_tokens"), Int(facts, r, "n_region_tokens"), Int(facts, r, "n_text_tokens"),
            Dbl(facts, r, "image_fraction")!.Value, Dbl(facts, r, "image_concentration"), Dbl(facts, r, "region_fraction"),
            Dbl(facts, r, "text_fraction")!.Value)).ToList();
        var runs = q.Run("select * from runs");
        var runRows = runs.Rows.Select(r => new RunRow(Str(runs, r, "model"), Str(runs, r, "benchmark"), Str(runs, r, "run_id"),
            (DateTime?)r[runs.IndexOf("started_at")], (DateTime?)r[runs.IndexOf("finished_at")])).ToList();
        var samples = q.Run("select * from samples");
        var sampleRows = samples.Rows.Select(r => new SampleRow(Str(samples, r, "model"), Str(samples, r, "benchmark"),
            Str(samples, r, "run_id"), Str(samples, r, "sample_id"), Str(samples, r, "query_kind"),
            (bool?)r[samples.IndexOf("correct")])).ToList();
        var models = q.Run("select model, n_layers, n_heads from models");
        var shapes = models.Rows.ToDictionary(r => (string)r[0]!,
            r => (Convert.ToInt32(r[1], CultureInfo.InvariantCulture), Convert.ToInt32(r[2], CultureInfo.InvariantCulture)));
        return (factRows, runRows, sampleRows, shapes);
    }

    private static string Str(QueryResult q, object?[] row, string column) => WarehouseFixture.Str(q, row, column);
    private static int Int(QueryResult q, object?[] row, string column) => WarehouseFixture.Int(q, row, column);
    private static double? Dbl(QueryResult q, object?[] row, string column) => WarehouseFixture.Dbl(q, row, column);
}
