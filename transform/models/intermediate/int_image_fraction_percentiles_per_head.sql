-- int_image_fraction_percentiles_per_head: per head, the 10th, 50th and 90th percentiles of image_fraction over the
-- samples of the latest run (linear interpolation, NULLs skipped; computed in the one pass over the latest runs'
-- facts, int_facts_of_latest_runs_reduced_per_head), with the run's keys.
-- Grain: one row per model × benchmark × query_kind × layer × head.
with reduced as (
    select * from int_facts_of_latest_runs_reduced_per_head
),

latest_runs as (
    select distinct model, benchmark, query_kind, run_index
    from int_benchmark_runs_latest_samples_numbered
),

final as (
    select
        latest_runs.model,
        latest_runs.benchmark,
        latest_runs.query_kind,
        reduced.layer,
        reduced.head,
        reduced.p10_image_fraction,
        reduced.median_image_fraction,
        reduced.p90_image_fraction
    from reduced
    inner join latest_runs
        on reduced.model = latest_runs.model
        and reduced.run_index = latest_runs.run_index
)

select * from final
