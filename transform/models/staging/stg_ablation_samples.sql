-- stg_ablation_samples: the raw ablation_samples view (schema.sql), renamed and cast only.
-- Grain: one row per evaluation × model × benchmark × sample.
with source as (
    select * from ablation_samples
),

final as (
    select
        ---------- ids
        cast(eval_id as varchar) as eval_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,
        cast(sample_id as varchar) as sample_id,

        ---------- the evaluation
        cast(mode as varchar) as mode,
        cast(selection_hash as varchar) as selection_hash,

        ---------- outputs
        cast(prediction as varchar) as prediction,
        cast(correct as boolean) as correct,
        cast(first_token_id as integer) as first_token_id,
        cast(n_generated_tokens as integer) as n_generated_tokens
    from source
)

select * from final
