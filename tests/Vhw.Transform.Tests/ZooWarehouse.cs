using DuckDB.NET.Data;

namespace Vhw.Transform.Tests;

/// <summary>One benchmark_scores row the zoo warehouse holds.</summary>
public sealed record ScoreRow(string Model, string Benchmark, string RunId, string SubsetKind, string Subset, string Metric, double Value, int N);

/// <summary>
/// The synthetic warehouse plus a trained zoo member and its untrained control: <see cref="Member"/> is toy-32l's
/// facts, samples and runs under a new name with a models part carrying training_json, <see cref="Control"/>
/// ("-init") is toy-40l's under a new name with a models part written without the column (as before it existed).
/// Both get seeded benchmark_scores for every described run, the superseded one included (rows the marts must skip).
/// </summary>
public static class ZooWarehouse
{
    public const string Member = "toy-zoo-s1", Control = "toy-zoo-s1-init";
    public const string MemberSource = "toy-32l", ControlSource = "toy-40l";
    public static readonly string[] Tasks = ["adversarial", "popular", "random"];

    public const double TrainSeconds = 888.3;
    public const int Stage1Steps = 300, Stage2Steps = 5000, BatchSize = 32;
    public const double Stage2Lr = 5e-4;
    public const string Scale = "s1";

    /// <summary>As `vhw zoo` writes it; Parameters deliberately differs from the model's own count (the warehouse keeps the model's).</summary>
    public static string TrainingJson => $$"""
        {
          "Name": "{{Member}}", "Family": "vicuna", "Scale": "{{Scale}}", "Layers": 32, "Hidden": 256, "Heads": 4, "KvHeads": 4,
          "Parameters": 241472, "Stage1Steps": {{Stage1Steps}}, "Stage2Steps": {{Stage2Steps}}, "BatchSize": {{BatchSize}},
          "TrainSeconds": {{TrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "ValExactMatch": 0.5613,
          "Stage1Lr": 0.002, "Stage2Lr": {{Stage2Lr.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        }
        """;

    /// <summary>Creates the warehouse under <paramref name="root"/>; returns the benchmark_scores rows written.</summary>
    public static List<ScoreRow> Create(string root, int seed = 7)
    {
        SyntheticWarehouse.Create(root);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        string Dir(string table) => Path.Combine(root, table).Replace("'", "''");

        foreach (var (model, source) in new[] { (Member, MemberSource), (Control, ControlSource) })
        {
            foreach (string table in new[] { "head_facts", "samples", "runs" })
                Exec(db, $"""
                    copy (select * replace ('{model}' as model)
                          from read_parquet('{Dir(table)}/model={source}/*/*.parquet', hive_partitioning = true))
                    to '{Dir(table)}' (format parquet, partition_by (model, benchmark), overwrite_or_ignore)
                    """);
            Directory.CreateDirectory(Path.Combine(root, "models", $"model={model}"));
            string trainingJson = model == Member ? $", '{TrainingJson.Replace("'", "''")}' as training_json" : "";
            Exec(db, $"""
                copy (select * exclude (model){trainingJson} from read_parquet('{Dir("models")}/model={source}/*.parquet', hive_partitioning = true))
                to '{Dir("models")}/model={model}/data_0.parquet' (format parquet)
                """);
        }

        var rng = new Random(seed);
        var scores = new List<ScoreRow>();
        foreach (var run in Query(db, $"select model, benchmark, run_id from read_parquet('{Dir("runs")}/*/*/*.parquet', hive_partitioning = true) " +
                                      $"where model in ('{Member}', '{Control}') order by all"))
        {
            string model = (string)run[0]!, benchmark = (string)run[1]!, runId = (string)run[2]!;
            foreach (var (kind, subset) in Tasks.Select(t => ("category", t)).Prepend(("all", "all")))
            {
                scores.Add(new ScoreRow(model, benchmark, runId, kind, subset, "accuracy", Math.Round(rng.NextDouble(), 4), 10 + rng.Next(90)));
                scores.Add(new ScoreRow(model, benchmark, runId, kind, subset, "f1", Math.Round(rng.NextDouble(), 4), 10 + rng.Next(90)));
            }
        }
        Exec(db, """
            create table benchmark_scores (model varchar, benchmark varchar, run_id varchar, format varchar, subset_kind varchar,
                subset varchar, metric varchar, value double, n_samples integer)
            """);
        using (var appender = db.CreateAppender("benchmark_scores"))
            foreach (var s in scores)
                appender.CreateRow().AppendValue(s.Model).AppendValue(s.Benchmark).AppendValue(s.RunId).AppendValue("questions")
                    .AppendValue(s.SubsetKind).AppendValue(s.Subset).AppendValue(s.Metric).AppendValue((double?)s.Value).AppendValue((int?)s.N).EndRow();
        Exec(db, $"copy benchmark_scores to '{Dir("benchmark_scores")}' (format parquet, partition_by (model, benchmark))");
        return scores;
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<object?[]> Query(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
