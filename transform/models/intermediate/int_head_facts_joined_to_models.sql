-- int_head_facts_joined_to_models: head facts of the latest run (int_benchmark_runs_filtered_to_latest) with the
-- model's shape and description (family, scale, n_params; NULL for an undescribed model), the head's relative depth
-- (layer / n_layers, 0-based so in [0, 1)), its relative-depth decile (macro depth_decile) and stage (macro
-- stage_of), the number of heads in the model and its per-sample top_n (macro visual_head_top_n), and the lifts over
-- even attention (macro lift_over_even) for the image, region and text sets. The one place the latest run's facts
-- are selected: int_heads_counted_in_sample_top_n reads it (columns it does not use are never computed), as do
-- analysts who want single facts with that context. Marts that need every run
-- aggregate the facts per run first (int_attention_aggregated_to_run_head) instead of joining every fact row.
-- materialized: view
-- Grain: one row per model × benchmark × query_kind × sample × layer × head (one run each).
with head_facts as (
    select * from stg_head_facts
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

final as (
    select
        head_facts.*,

        ---------- model shape
        latest_runs.n_layers,
        latest_runs.n_heads,
        latest_runs.n_model_heads,
        latest_runs.top_n,
        latest_runs.model_shape_source,
        latest_runs.family,
        latest_runs.scale,
        latest_runs.n_params,

        ---------- position of the head
        head_facts.layer / latest_runs.n_layers as relative_depth,
        depth_decile(head_facts.layer, latest_runs.n_layers) as depth_decile,
        stage_of(head_facts.layer, latest_runs.n_layers) as stage,

        ---------- lift over even attention
        lift_over_even(head_facts.image_fraction, head_facts.n_image_tokens, head_facts.n_keys) as image_lift,
        lift_over_even(head_facts.region_fraction, head_facts.n_region_tokens, head_facts.n_keys) as region_lift,
        lift_over_even(head_facts.text_fraction, head_facts.n_text_tokens, head_facts.n_keys) as text_lift
    from head_facts
    inner join latest_runs
        on head_facts.model = latest_runs.model
        and head_facts.benchmark = latest_runs.benchmark
        and head_facts.query_kind = latest_runs.query_kind
        and head_facts.run_id = latest_runs.run_id
)

select * from final
