-- stg_models: the raw models view (schema.sql), renamed and cast only.
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
        cast(n_params as bigint) as n_params
    from source
)

select * from final
