-- int_head_facts_joined_to_models: head facts of the latest run (int_benchmark_runs_filtered_to_latest)
-- with the model's shape and description (family, scale, n_params; NULL for an undescribed model), the
-- head's relative depth (layer / n_layers, 0-based so in [0, 1)), its relative-depth decile (macro
-- depth_decile) and stage (macro stage_of), the number of heads in the model, and the lifts over even
-- attention (macro lift_over_even) for the image, region and text sets. The one place these are derived.
-- Grain: one row per model × benchmark × query_kind × sample × layer × head (one run each).
with head_facts as (
    select * from stg_head_facts
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

models as (
    select * from stg_models
),

facts_of_latest_runs as (
    select head_facts.*
    from head_facts
    inner join latest_runs
        on head_facts.model = latest_runs.model
        and head_facts.benchmark = latest_runs.benchmark
        and head_facts.query_kind = latest_runs.query_kind
        and head_facts.run_id = latest_runs.run_id
),

-- schema.sql promises one row per model; max() keeps the join 1:1 should a stale description linger
described_shapes as (
    select
        model,
        max(n_layers) as n_layers,
        max(n_heads) as n_heads,
        max(family) as family,
        max(scale) as scale,
        max(n_params) as n_params
    from models
    group by model
),

-- a model without a description falls back to the shape its facts show (model_shape_source says which)
observed_shapes as (
    select model, max(layer) + 1 as n_layers, max(head) + 1 as n_heads
    from facts_of_latest_runs
    group by model
),

model_shapes as (
    select
        observed_shapes.model,
        coalesce(described_shapes.n_layers, observed_shapes.n_layers) as n_layers,
        coalesce(described_shapes.n_heads, observed_shapes.n_heads) as n_heads,
        case when described_shapes.n_layers is null then 'observed' else 'models' end as model_shape_source,
        described_shapes.family,
        described_shapes.scale,
        described_shapes.n_params
    from observed_shapes
    left join described_shapes on observed_shapes.model = described_shapes.model
),

final as (
    select
        facts_of_latest_runs.*,

        ---------- model shape
        model_shapes.n_layers,
        model_shapes.n_heads,
        model_shapes.n_layers * model_shapes.n_heads as n_model_heads,
        model_shapes.model_shape_source,
        model_shapes.family,
        model_shapes.scale,
        model_shapes.n_params,

        ---------- position of the head
        facts_of_latest_runs.layer / model_shapes.n_layers as relative_depth,
        depth_decile(facts_of_latest_runs.layer, model_shapes.n_layers) as depth_decile,
        stage_of(facts_of_latest_runs.layer, model_shapes.n_layers) as stage,

        ---------- lift over even attention
        lift_over_even(facts_of_latest_runs.image_fraction, facts_of_latest_runs.n_image_tokens,
            facts_of_latest_runs.n_keys) as image_lift,
        lift_over_even(facts_of_latest_runs.region_fraction, facts_of_latest_runs.n_region_tokens,
            facts_of_latest_runs.n_keys) as region_lift,
        lift_over_even(facts_of_latest_runs.text_fraction, facts_of_latest_runs.n_text_tokens,
            facts_of_latest_runs.n_keys) as text_lift
    from facts_of_latest_runs
    inner join model_shapes on facts_of_latest_runs.model = model_shapes.model
)

select * from final
