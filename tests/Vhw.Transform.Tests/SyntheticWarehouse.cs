using DuckDB.NET.Data;

namespace Vhw.Transform.Tests;

/// <summary>A toy model of the synthetic warehouse; values of a Quantized model are multiples of 1/8 (exact ties).</summary>
public sealed record ToyModel(string Name, int Layers, int Heads, bool Quantized, string Family, string Scale, long Params);

/// <summary>A run of the synthetic warehouse; Described = false leaves it out of the runs table.</summary>
public sealed record ToyRun(string Model, string Benchmark, string QueryKind, string RunId, DateTime FinishedAt, int Samples, bool Described = true);

/// <summary>
/// Writes a small warehouse with DuckDB itself, laid out as schema.sql reads it
/// (<c>&lt;table&gt;/model=…/benchmark=…/data_0.parquet</c>, <c>models/model=…/data_0.parquet</c>),
/// with every column of schema.sql and seeded random values.
/// </summary>
public static class SyntheticWarehouse
{
    // declared first: static initialisers run in text order
    private static readonly DateTime Day = new(2025, 6, 10, 12, 0, 0, DateTimeKind.Unspecified);

    public static IReadOnlyList<ToyModel> Models { get; } =
    [
        new("toy-32l", 32, 4, Quantized: false, "toy-a", "7b", 7_000_000_000),    // the authors' 32-layer stage table
        new("toy-40l", 40, 3, Quantized: false, "toy-a", "13b", 13_000_000_000),  // the authors' 40-layer stage table; a larger scale of toy-a
        new("toy-12l", 12, 2, Quantized: true, "toy-b", "3b", 3_000_000_000),     // relative-depth stages, tied values
    ];

    public static IReadOnlyList<ToyRun> Runs { get; } = BuildRuns();

    private static List<ToyRun> BuildRuns()
    {
        var runs = new List<ToyRun>();
        int k = 0;
        foreach (var m in Models)
            foreach (string b in new[] { "pope", "mmbench" })
                runs.Add(new ToyRun(m.Name, b, "answer_step2", $"{m.Name}-{b}-as2", Day.AddHours(k++), 10));
        runs.Add(new ToyRun("toy-12l", "pope", "last_prompt", "toy-12l-pope-lp", Day.AddHours(k++), 10));
        // superseded: an older run of the same model × benchmark × query_kind, and one interrupted before its runs row
        runs.Add(new ToyRun("toy-32l", "pope", "answer_step2", "toy-32l-pope-as2-old", Day.AddDays(-9), 4));
        runs.Add(new ToyRun("toy-40l", "mmbench", "answer_step2", "toy-40l-mmbench-as2-zz-interrupted", Day.AddDays(1), 3, Described: false));
        return runs;
    }

    public static void Create(string root, bool withRejects = true, int seed = 20250611)
    {
        Directory.CreateDirectory(root);
        var rng = new Random(seed);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Exec(db, """
            create table head_facts (model varchar, benchmark varchar, run_id varchar, sample_id varchar, query_kind varchar,
                layer smallint, head smallint, n_keys integer, n_image_tokens integer, n_region_tokens integer, n_text_tokens integer,
                image_fraction float, image_entropy float, image_concentration float, image_top1_share float,
                region_fraction float, region_entropy float, region_concentration float, region_top1_share float,
                text_fraction float, text_entropy float, text_concentration float, text_top1_share float);
            create table samples (model varchar, benchmark varchar, run_id varchar, sample_id varchar, query_kind varchar,
                image_file varchar, question varchar, prompt varchar, answer varchar, prediction varchar, correct boolean,
                n_prompt_tokens integer, n_keys integer, image_start integer, n_image_tokens integer, n_region_tokens integer,
                box_x0 float, box_y0 float, box_x1 float, box_y1 float, first_token_id integer, n_generated_tokens integer);
            create table models (model varchar, family varchar, scale varchar, source_dir varchar, weights_sha256 varchar,
                dtype varchar, n_layers integer, n_heads integer, n_kv_heads integer, hidden_size integer, head_dim integer,
                vision_layers integer, n_image_tokens integer, n_params bigint);
            create table runs (model varchar, benchmark varchar, run_id varchar, query_kind varchar, config_json varchar,
                vhw_version varchar, torchsharp_version varchar, dtype varchar, device varchar, started_at timestamp,
                finished_at timestamp, n_samples integer, n_rejects integer, status varchar);
            create table rejects (model varchar, benchmark varchar, run_id varchar, source_file varchar, line integer,
                sample_id varchar, field varchar, reason varchar);
            """);

        using (var a = db.CreateAppender("models"))
            foreach (var m in Models)
                Row(a, m.Name, m.Family, m.Scale, $"/models/{m.Name}", new string('a', 64), "float32", m.Layers, m.Heads, m.Heads,
                    64 * m.Heads, 64, 24, 16, m.Params);

        // a head's visual preference belongs to the model, so it carries over between benchmarks
        var preference = Models.ToDictionary(m => m.Name, m => Enumerable.Range(0, m.Layers * m.Heads).Select(_ => rng.NextDouble()).ToArray());
        using (var facts = db.CreateAppender("head_facts"))
        using (var samples = db.CreateAppender("samples"))
        using (var runs = db.CreateAppender("runs"))
            foreach (var run in Runs)
            {
                var m = Models.Single(x => x.Name == run.Model);
                if (run.Described)
                    Row(runs, run.Model, run.Benchmark, run.RunId, run.QueryKind, "{}", "0.0.0-test", "0.107.0", "float32", "cpu",
                        run.FinishedAt.AddMinutes(-30), run.FinishedAt, run.Samples, 0, "succeeded");
                for (int s = 0; s < run.Samples; s++)
                {
                    string sampleId = $"{run.Benchmark}-{s:000}";
                    int nImage = 16 + 4 * (s % 2), nText = 6 + rng.Next(6), nKeys = nImage + nText;
                    bool box = s % 3 != 0;
                    int nRegion = box ? 4 : 0;
                    Row(samples, run.Model, run.Benchmark, run.RunId, sampleId, run.QueryKind, $"{sampleId}.jpg", "Is there a cat?",
                        "<image> Is there a cat?", "yes", rng.Next(2) == 0 ? "yes" : "no", s == 7 ? null : rng.NextDouble() < 0.6,
                        nText + nImage - 1, nKeys, 5, nImage, nRegion, box ? 10f : null, box ? 20f : null, box ? 110f : null,
                        box ? 90f : null, 3869, 2);
                    for (int layer = 0; layer < m.Layers; layer++)
                        for (int head = 0; head < m.Heads; head++)
                        {
                            double image = Value(m, 0.7 * preference[m.Name][layer * m.Heads + head] + 0.3 * rng.NextDouble());
                            double concentration = Value(m, 0.2 + 0.5 * image + 0.3 * rng.NextDouble());
                            double region = box ? Value(m, image * rng.NextDouble()) : 0;
                            bool noImageMass = image == 0; // entropy and concentration are NULL when a_S = 0 (schema.sql)
                            Row(facts, run.Model, run.Benchmark, run.RunId, sampleId, run.QueryKind, (short)layer, (short)head,
                                nKeys, nImage, nRegion, nText,
                                (float)image, noImageMass ? null : (float)((1 - concentration) * Math.Log(nImage)),
                                noImageMass ? null : (float)concentration, (float)rng.NextDouble(),
                                box ? (float)region : null, box ? (float)rng.NextDouble() : null, box ? (float)rng.NextDouble() : null,
                                box ? (float)rng.NextDouble() : null,
                                (float)(1 - image), (float)rng.NextDouble(), (float)rng.NextDouble(), (float)rng.NextDouble());
                        }
                }
            }

        if (withRejects)
            using (var a = db.CreateAppender("rejects"))
            {
                Row(a, "toy-32l", "pope", "toy-32l-pope-as2", "pope.jsonl", 3, "pope-x03", "image", "image file not found");
                Row(a, "toy-32l", "pope", "toy-32l-pope-as2", "pope.jsonl", 9, "pope-x09", "answer", "empty answer");
            }

        string Dir(string table) => Path.Combine(root, table).Replace("'", "''");
        Exec(db, $"copy head_facts to '{Dir("head_facts")}' (format parquet, partition_by (model, benchmark))");
        Exec(db, $"copy samples to '{Dir("samples")}' (format parquet, partition_by (model, benchmark))");
        Exec(db, $"copy runs to '{Dir("runs")}' (format parquet, partition_by (model, benchmark))");
        Exec(db, $"copy models to '{Dir("models")}' (format parquet, partition_by (model))");
        if (withRejects) Exec(db, $"copy rejects to '{Dir("rejects")}' (format parquet, partition_by (model, benchmark))");
    }

    // Clamped to [0, 1]; multiples of 1/8 for a quantized model.
    private static double Value(ToyModel m, double x)
    {
        x = Math.Clamp(x, 0, 1);
        return m.Quantized ? Math.Round(x * 8) / 8 : x;
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Row(DuckDBAppender appender, params object?[] values)
    {
        IDuckDBAppenderRow row = appender.CreateRow();
        foreach (var v in values)
            row = v switch
            {
                null => row.AppendNullValue(),
                string x => row.AppendValue(x),
                short x => row.AppendValue((short?)x),
                int x => row.AppendValue((int?)x),
                long x => row.AppendValue((long?)x),
                float x => row.AppendValue((float?)x),
                bool x => row.AppendValue((bool?)x),
                DateTime x => row.AppendValue((DateTime?)x),
                _ => throw new ArgumentException($"unsupported value type {v.GetType()}"),
            };
        row.EndRow();
    }
}
