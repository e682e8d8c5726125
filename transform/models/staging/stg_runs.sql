-- stg_runs: the raw runs view (schema.sql), renamed and cast only.
-- Grain: one row per run × model × benchmark.
with source as (
    select * from runs
),

final as (
    select
        ---------- ids
        cast(run_id as varchar) as run_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(query_kind as varchar) as query_kind,

        ---------- configuration
        cast(config_json as varchar) as config_json,
        cast(vhw_version as varchar) as vhw_version,
        cast(torchsharp_version as varchar) as torchsharp_version,
        cast(dtype as varchar) as dtype,
        cast(device as varchar) as device,

        ---------- timestamps
        cast(started_at as timestamp) as started_at,
        cast(finished_at as timestamp) as finished_at,

        ---------- outcome
        cast(n_samples as integer) as n_samples,
        cast(n_rejects as integer) as n_rejects,
        cast(status as varchar) as status
    from source
)

select * from final
