-- stg_rejects: the raw rejects view (schema.sql), renamed and cast only.
-- Grain: one row per input that could not be ingested.
with source as (
    select * from rejects
),

final as (
    select
        ---------- ids
        cast(run_id as varchar) as run_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(sample_id as varchar) as sample_id,

        ---------- where and why
        cast(source_file as varchar) as source_file,
        cast(line as integer) as line,
        cast(field as varchar) as field,
        cast(reason as varchar) as reason
    from source
)

select * from final
