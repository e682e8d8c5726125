-- int_image_fraction_percentiles_per_head: per head, the 10th, 50th and 90th percentiles of image_fraction over the
-- samples of the latest run (the facts of int_head_facts_joined_to_models; quantile_cont: linear interpolation, NULLs
-- skipped). Built one model at a time (macro in_partition): a model's percentile states fit in memory.
-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × benchmark × query_kind × layer × head.
with latest_facts as (
    select * from int_head_facts_joined_to_models
    where in_partition(model)
),

per_head as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        quantile_cont(image_fraction, [0.1, 0.5, 0.9]) as image_fraction_percentiles
    from latest_facts
    group by model, benchmark, query_kind, layer, head
),

final as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        image_fraction_percentiles[1] as p10_image_fraction,
        image_fraction_percentiles[2] as median_image_fraction,
        image_fraction_percentiles[3] as p90_image_fraction
    from per_head
)

select * from final
