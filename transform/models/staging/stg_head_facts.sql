-- stg_head_facts: the raw head_facts view (schema.sql), renamed and cast only; fractions and
-- concentrations widened to double so every later average runs in double.
-- Grain: one row per run × model × benchmark × sample × query_kind × layer × head.
-- counted as: select cast(coalesce(sum(num_rows), 0) as bigint) from fact_parts()
-- (every row of every fact part passes through head_facts, ranked by its stored or its computed image_rank, and this
-- view only renames and casts, so its rows are the parts' row counts in their Parquet footers: 0.2 s instead of the
-- 2.0–2.4 s that count(*) takes to read 250M facts through the view; macros/partial_aggregates.sql, fact_parts)
with source as (
    select * from head_facts
),

final as (
    select
        ---------- ids
        cast(run_id as varchar) as run_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(sample_id as varchar) as sample_id,
        cast(query_kind as varchar) as query_kind,
        cast(layer as integer) as layer,
        cast(head as integer) as head,

        ---------- token counts
        cast(n_keys as integer) as n_keys,
        cast(n_image_tokens as integer) as n_image_tokens,
        cast(n_region_tokens as integer) as n_region_tokens,
        cast(n_text_tokens as integer) as n_text_tokens,

        ---------- image tokens
        cast(image_fraction as double) as image_fraction,
        cast(image_entropy as double) as image_entropy,
        cast(image_concentration as double) as image_concentration,
        cast(image_top1_share as double) as image_top1_share,
        cast(image_rank as integer) as image_rank,

        ---------- region tokens (NULL without a box)
        cast(region_fraction as double) as region_fraction,
        cast(region_entropy as double) as region_entropy,
        cast(region_concentration as double) as region_concentration,
        cast(region_top1_share as double) as region_top1_share,

        ---------- text tokens
        cast(text_fraction as double) as text_fraction,
        cast(text_entropy as double) as text_entropy,
        cast(text_concentration as double) as text_concentration,
        cast(text_top1_share as double) as text_top1_share
    from source
)

select * from final
