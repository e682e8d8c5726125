namespace Vhw.Transform;

/// <summary>The raw tables of schema.sql: the folder each one reads under the warehouse root.</summary>
public static class RawTables
{
    /// <summary>Tables the transform cannot run without.</summary>
    public static IReadOnlyList<string> Required { get; } = ["head_facts", "samples", "models", "runs"];

    /// <summary>
    /// Tables whose folder may be absent: ingest writes rejects only when an input was rejected. DuckDB cannot
    /// create a view over a glob that matches no file, so such a table gets an empty view with schema.sql's columns.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OptionalEmptyViews { get; } = new Dictionary<string, string>
    {
        ["rejects"] = """
            create or replace view rejects as
            select
                cast(null as varchar) as run_id, cast(null as varchar) as source_file, cast(null as integer) as line,
                cast(null as varchar) as sample_id, cast(null as varchar) as field, cast(null as varchar) as reason,
                cast(null as varchar) as model, cast(null as varchar) as benchmark
            where false
            """,
        // ingest writes benchmark_scores when a run completes; warehouses from before it have none
        ["benchmark_scores"] = """
            create or replace view benchmark_scores as
            select
                cast(null as varchar) as run_id, cast(null as varchar) as format, cast(null as varchar) as subset_kind,
                cast(null as varchar) as subset, cast(null as varchar) as metric, cast(null as double) as value,
                cast(null as integer) as n_samples, cast(null as varchar) as model, cast(null as varchar) as benchmark
            where false
            """,
        // ingest, synth and `vhw summarise` write these; a warehouse from before them (or a copy without them) has none,
        // and the transform aggregates every part's facts itself
        ["head_summaries"] = """
            create or replace view head_summaries as
            select
                cast(null as varchar) as part, cast(null as bigint) as part_rows, cast(null as varchar) as run_id,
                cast(null as varchar) as query_kind, cast(null as smallint) as layer, cast(null as smallint) as head,
                cast(null as bigint) as n_samples, cast(null as bigint) as n_active,
                cast(null as bigint) as n_image_fraction, cast(null as double) as sum_image_fraction, cast(null as double) as m2_image_fraction,
                cast(null as bigint) as n_image_concentration, cast(null as double) as sum_image_concentration, cast(null as double) as m2_image_concentration,
                cast(null as bigint) as n_image_lift, cast(null as double) as sum_image_lift, cast(null as double) as m2_image_lift,
                cast(null as bigint) as n_image_rank, cast(null as double) as sum_image_rank, cast(null as double) as m2_image_rank,
                cast(null as bigint) as n_region_fraction, cast(null as double) as sum_region_fraction,
                cast(null as bigint) as n_region_concentration, cast(null as double) as sum_region_concentration,
                cast(null as bigint) as n_region_lift, cast(null as double) as sum_region_lift,
                cast(null as bigint) as n_text_fraction, cast(null as double) as sum_text_fraction,
                cast(null as bigint) as n_text_concentration, cast(null as double) as sum_text_concentration,
                cast(null as bigint) as n_text_lift, cast(null as double) as sum_text_lift,
                cast(null as varchar) as model, cast(null as varchar) as benchmark, cast(null as varchar) as summary_file
            where false
            """,
        // `vhw ablate` writes these; a warehouse that was never ablated has none
        ["ablation_samples"] = """
            create or replace view ablation_samples as
            select
                cast(null as varchar) as eval_id, cast(null as varchar) as mode, cast(null as varchar) as selection_hash,
                cast(null as varchar) as sample_id, cast(null as varchar) as prediction, cast(null as boolean) as correct,
                cast(null as integer) as first_token_id, cast(null as integer) as n_generated_tokens,
                cast(null as varchar) as model, cast(null as varchar) as benchmark
            where false
            """,
        ["ablation_results"] = """
            create or replace view ablation_results as
            select
                cast(null as varchar) as result_id, cast(null as varchar) as config_id, cast(null as varchar) as eval_id,
                cast(null as varchar) as baseline_eval_id, cast(null as varchar) as mode, cast(null as varchar) as spec,
                cast(null as varchar) as strategy, cast(null as varchar) as stage, cast(null as varchar) as score,
                cast(null as varchar) as score_source, cast(null as integer) as k, cast(null as integer) as n_model_heads,
                cast(null as integer) as seed, cast(null as bigint) as rng_seed, cast(null as varchar) as selection_hash,
                cast(null as varchar) as heads, cast(null as integer) as n, cast(null as integer) as n_correct,
                cast(null as double) as accuracy, cast(null as double) as ci_low, cast(null as double) as ci_high,
                cast(null as double) as baseline_accuracy, cast(null as double) as delta, cast(null as integer) as n_lost,
                cast(null as integer) as n_gained, cast(null as double) as mcnemar_p, cast(null as integer) as n_changed,
                cast(null as integer) as n_rejects, cast(null as varchar) as config_json, cast(null as varchar) as vhw_version,
                cast(null as timestamp) as finished_at, cast(null as varchar) as model, cast(null as varchar) as benchmark
            where false
            """,
    };

    /// <summary>True when the folder holds at least one Parquet file.</summary>
    public static bool HasParquet(string warehouseRoot, string table)
    {
        string folder = Path.Combine(warehouseRoot, table);
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
    }

    /// <summary>Throws a <see cref="TransformException"/> naming every required folder without Parquet;
    /// returns the optional tables whose folder has none.</summary>
    public static IReadOnlySet<string> EnsurePresent(string warehouseRoot)
    {
        if (!Directory.Exists(warehouseRoot))
            throw new TransformException($"warehouse root {warehouseRoot} does not exist: run `vhw ingest` first (or pass the warehouse folder)");
        var missing = Required.Where(t => !HasParquet(warehouseRoot, t)).Select(t => Path.Combine(warehouseRoot, t)).ToList();
        if (missing.Count > 0)
            throw new TransformException($"no Parquet under {string.Join(", ", missing)}: run `vhw ingest` first");
        return OptionalEmptyViews.Keys.Where(t => !HasParquet(warehouseRoot, t)).ToHashSet();
    }
}
