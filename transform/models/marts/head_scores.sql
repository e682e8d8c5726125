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
-- (region_* are NULL for samples without a box). Lifts: mass ÷ (|set| / n_keys), averaged per sample.
-- Grain: one row per model × benchmark × query_kind × layer × head.
with ranked_per_sample as (
    select * from int_head_facts_ranked_per_sample
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
        relative_depth,
        depth_decile,
        stage,
        top_n,
        count(*) as n_samples,

        ---------- image tokens
        avg(image_fraction) as mean_image_fraction,
        stddev_samp(image_fraction) as std_image_fraction,
        avg(image_concentration) as mean_image_concentration,
        stddev_samp(image_concentration) as std_image_concentration,
        avg(image_lift) as mean_image_lift,

        ---------- region tokens (samples with a box)
        avg(region_fraction) as mean_region_fraction,
        avg(region_concentration) as mean_region_concentration,
        avg(region_lift) as mean_region_lift,

        ---------- text tokens
        avg(text_fraction) as mean_text_fraction,
        avg(text_concentration) as mean_text_concentration,
        avg(text_lift) as mean_text_lift,

        ---------- detection
        cast(count_if(is_top_n) as bigint) as n_samples_in_top_n,
        count_if(is_top_n) / count(*) as detection_score
    from ranked_per_sample
    group by model, benchmark, query_kind, run_id, layer, head, n_layers, n_heads, family, scale, n_params,
        relative_depth, depth_decile, stage, top_n
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
