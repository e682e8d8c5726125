-- head_scores: per-head attention statistics over the samples of the latest run, and the two visual-head
-- rankings of paper-method.md "Visual heads":
--   rank            1 = highest mean_image_fraction within model × benchmark × query_kind (ties: layer, head)
--   detection_score share of samples in which the head is among the sample's top_n heads by image_fraction,
--                   top_n = greatest(1, round(0.05 × n_layers × n_heads)) (macro visual_head_top_n)
--   detection_rank  1 = highest detection_score (ties: mean_image_fraction desc, layer, head)
--   is_top_head     rank <= top_n: the model's top visual heads on this benchmark (the set the other marts
--                   use: stage_distribution, rank_stability, model_concentration_vs_accuracy)
-- relative_depth = layer / n_layers, depth_decile = floor(10 × layer / n_layers) (macro depth_decile),
-- stage (macro stage_of); family, scale, n_params from the model description (NULL when undescribed).
-- std_image_fraction, std_image_concentration are sample standard deviations (NULL for one sample). Means skip NULLs
-- (region_* are NULL for samples without a box). Lifts: mass ÷ (|set| / n_keys), averaged per sample. The per-head
-- statistics, shape and top-N counts come from int_run_heads_filtered_to_latest (the latest run's heads).
-- Grain: one row per model × benchmark × query_kind × layer × head.
with heads as (
    select * from int_run_heads_filtered_to_latest
),

per_head as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        layer,
        head,
        n_layers,
        n_heads,
        family,
        scale,
        n_params,
        layer / n_layers as relative_depth,
        depth_decile(layer, n_layers) as depth_decile,
        stage_of(layer, n_layers) as stage,
        top_n,
        n_samples,

        ---------- image tokens
        mean_image_fraction,
        std_image_fraction,
        mean_image_concentration,
        std_image_concentration,
        mean_image_lift,

        ---------- region tokens (samples with a box)
        mean_region_fraction,
        mean_region_concentration,
        mean_region_lift,

        ---------- text tokens
        mean_text_fraction,
        mean_text_concentration,
        mean_text_lift,

        ---------- detection
        n_samples_in_top_n,
        n_samples_in_top_n / n_samples as detection_score
    from heads
),

ranked as (
    select
        *,
        row_number() over (
            partition by model, benchmark, query_kind
            order by mean_image_fraction desc nulls last, layer, head
        ) as rank,
        row_number() over (
            partition by model, benchmark, query_kind
            order by detection_score desc, mean_image_fraction desc nulls last, layer, head
        ) as detection_rank
    from per_head
),

final as (
    select
        *,
        rank <= top_n as is_top_head
    from ranked
)

select * from final
