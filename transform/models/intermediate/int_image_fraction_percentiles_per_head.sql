-- int_image_fraction_percentiles_per_head: per head, the 10th, 50th and 90th percentiles of image_fraction over the
-- samples of the latest run (int_benchmark_runs_filtered_to_latest; quantile_cont: linear interpolation, NULLs
-- skipped). Built one model at a time (macro in_partition): a model's percentile states fit in memory.
-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × benchmark × query_kind × layer × head.
with head_facts as (
    select * from stg_head_facts
    where in_partition(model)
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

per_head as (
    select
        head_facts.model,
        head_facts.benchmark,
        head_facts.query_kind,
        head_facts.layer,
        head_facts.head,
        quantile_cont(head_facts.image_fraction, [0.1, 0.5, 0.9]) as image_fraction_percentiles
    from head_facts
    inner join latest_runs
        on head_facts.model = latest_runs.model
        and head_facts.benchmark = latest_runs.benchmark
        and head_facts.query_kind = latest_runs.query_kind
        and head_facts.run_id = latest_runs.run_id
    group by head_facts.model, head_facts.benchmark, head_facts.query_kind, head_facts.layer, head_facts.head
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
