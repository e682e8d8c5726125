-- stg_head_summaries: the raw head_summaries view (schema.sql), renamed and cast only: per fact part and head, the
-- partial aggregates of macros/partial_aggregates.sql as ingest wrote them.
-- Grain: one row per summary file × model × benchmark × part × query_kind × layer × head.
with source as (
    select * from head_summaries
),

final as (
    select
        ---------- ids
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(part as varchar) as part,
        cast(summary_file as varchar) as summary_file,
        cast(part_rows as bigint) as part_rows,
        cast(run_id as varchar) as run_id,
        cast(query_kind as varchar) as query_kind,
        cast(layer as integer) as layer,
        cast(head as integer) as head,

        ---------- counts
        cast(n_samples as bigint) as n_samples,
        cast(n_active as bigint) as n_active,

        ---------- image tokens
        cast(n_image_fraction as bigint) as n_image_fraction,
        cast(sum_image_fraction as double) as sum_image_fraction,
        cast(m2_image_fraction as double) as m2_image_fraction,
        cast(n_image_concentration as bigint) as n_image_concentration,
        cast(sum_image_concentration as double) as sum_image_concentration,
        cast(m2_image_concentration as double) as m2_image_concentration,
        cast(n_image_lift as bigint) as n_image_lift,
        cast(sum_image_lift as double) as sum_image_lift,
        cast(m2_image_lift as double) as m2_image_lift,
        cast(n_image_rank as bigint) as n_image_rank,
        cast(sum_image_rank as double) as sum_image_rank,
        cast(m2_image_rank as double) as m2_image_rank,

        ---------- region tokens (samples with a box)
        cast(n_region_fraction as bigint) as n_region_fraction,
        cast(sum_region_fraction as double) as sum_region_fraction,
        cast(n_region_concentration as bigint) as n_region_concentration,
        cast(sum_region_concentration as double) as sum_region_concentration,
        cast(n_region_lift as bigint) as n_region_lift,
        cast(sum_region_lift as double) as sum_region_lift,

        ---------- text tokens
        cast(n_text_fraction as bigint) as n_text_fraction,
        cast(sum_text_fraction as double) as sum_text_fraction,
        cast(n_text_concentration as bigint) as n_text_concentration,
        cast(sum_text_concentration as double) as sum_text_concentration,
        cast(n_text_lift as bigint) as n_text_lift,
        cast(sum_text_lift as double) as sum_text_lift
    from source
)

select * from final
