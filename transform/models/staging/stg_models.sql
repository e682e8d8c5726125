-- stg_models: the raw models view (schema.sql), renamed and cast; and the fields of training_json (the model folder's
-- training.json, e.g. the zoo's TrainingReport) a report needs, parsed here once: NULL when the model has no
-- training.json, when it is not valid JSON or when it lacks the field. n_params stays the model's own count.
-- Grain: one row per model.
with source as (
    select * from models
),

final as (
    select
        ---------- ids
        cast(model as varchar) as model,
        cast(family as varchar) as family,
        cast(scale as varchar) as scale,
        cast(source_dir as varchar) as source_dir,
        cast(weights_sha256 as varchar) as weights_sha256,
        cast(dtype as varchar) as dtype,

        ---------- shape
        cast(n_layers as integer) as n_layers,
        cast(n_heads as integer) as n_heads,
        cast(n_kv_heads as integer) as n_kv_heads,
        cast(hidden_size as integer) as hidden_size,
        cast(head_dim as integer) as head_dim,
        cast(vision_layers as integer) as vision_layers,
        cast(n_image_tokens as integer) as n_image_tokens,
        cast(n_params as bigint) as n_params,

        ---------- training provenance (training.json)
        cast(training_json as varchar) as training_json,
        case when json_valid(training_json) then training_json ->> '$.Scale' end as training_scale,
        case when json_valid(training_json) then try_cast(training_json ->> '$.TrainSeconds' as double) end as train_seconds,
        case when json_valid(training_json) then try_cast(training_json ->> '$.Stage1Steps' as integer) end as stage1_steps,
        case when json_valid(training_json) then try_cast(training_json ->> '$.Stage2Steps' as integer) end as stage2_steps,
        case when json_valid(training_json) then try_cast(training_json ->> '$.BatchSize' as integer) end as batch_size,
        case when json_valid(training_json) then try_cast(training_json ->> '$.Stage1Lr' as double) end as stage1_lr,
        case when json_valid(training_json) then try_cast(training_json ->> '$.Stage2Lr' as double) end as stage2_lr,
        case when json_valid(training_json) then try_cast(training_json ->> '$.ValExactMatch' as double) end as val_exact_match
    from source
)

select * from final
