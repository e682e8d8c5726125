-- stg_samples: the raw samples view (schema.sql), renamed and cast only.
-- Grain: one row per run × model × benchmark × sample.
with source as (
    select * from samples
),

final as (
    select
        ---------- ids
        cast(run_id as varchar) as run_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(sample_id as varchar) as sample_id,
        cast(query_kind as varchar) as query_kind,

        ---------- inputs and outputs
        cast(image_file as varchar) as image_file,
        cast(question as varchar) as question,
        cast(prompt as varchar) as prompt,
        cast(answer as varchar) as answer,
        cast(prediction as varchar) as prediction,
        cast(correct as boolean) as correct,

        ---------- token layout
        cast(n_prompt_tokens as integer) as n_prompt_tokens,
        cast(n_keys as integer) as n_keys,
        cast(image_start as integer) as image_start,
        cast(n_image_tokens as integer) as n_image_tokens,
        cast(n_region_tokens as integer) as n_region_tokens,
        cast(first_token_id as integer) as first_token_id,
        cast(n_generated_tokens as integer) as n_generated_tokens,

        ---------- box, pixels of the source image (NULL without a box)
        cast(box_x0 as double) as box_x0,
        cast(box_y0 as double) as box_y0,
        cast(box_x1 as double) as box_x1,
        cast(box_y1 as double) as box_y1
    from source
)

select * from final
