-- stg_benchmark_scores: the raw benchmark_scores view (schema.sql), renamed and cast only.
-- Grain: one row per run × model × benchmark × subset × metric.
with source as (
    select * from benchmark_scores
),

final as (
    select
        ---------- ids
        cast(run_id as varchar) as run_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(format as varchar) as format,

        ---------- subset and metric
        cast(subset_kind as varchar) as subset_kind,
        cast(subset as varchar) as subset,
        cast(metric as varchar) as metric,

        ---------- numerics
        cast(value as double) as value,
        cast(n_samples as integer) as n_samples
    from source
)

select * from final
