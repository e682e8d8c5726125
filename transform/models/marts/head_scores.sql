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
-- statistics come from int_attention_aggregated_to_run_head (rows of the latest run), the top-N counts from
-- int_heads_counted_in_sample_top_n, the shape from int_benchmark_runs_filtered_to_latest.
-- Grain: one row per model × benchmark × query_kind × layer × head.
with run_heads as (
    select * from int_attention_aggregated_to_run_head
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

top_n_counts as (
    select * from int_heads_counted_in_sample_top_n
),

per_head as (
    select
        run_heads.model,
        run_heads.benchmark,
        run_heads.query_kind,
        run_heads.run_id,
        run_heads.layer,
        run_heads.head,
        latest_runs.n_layers,
        latest_runs.n_heads,
        latest_runs.family,
        latest_runs.scale,
        latest_runs.n_params,
        run_heads.layer / latest_runs.n_layers as relative_depth,
        depth_decile(run_heads.layer, latest_runs.n_layers) as depth_decile,
        stage_of(run_heads.layer, latest_runs.n_layers) as stage,
        latest_runs.top_n,
        run_heads.n_samples,

        ---------- image tokens
        run_heads.mean_image_fraction,
        run_heads.std_image_fraction,
        run_heads.mean_image_concentration,
        run_heads.std_image_concentration,
        run_heads.mean_image_lift,

        ---------- region tokens (samples with a box)
        run_heads.mean_region_fraction,
        run_heads.mean_region_concentration,
        run_heads.mean_region_lift,

        ---------- text tokens
        run_heads.mean_text_fraction,
        run_heads.mean_text_concentration,
        run_heads.mean_text_lift,

        ---------- detection
        coalesce(top_n_counts.n_samples_in_top_n, 0) as n_samples_in_top_n,
        coalesce(top_n_counts.n_samples_in_top_n, 0) / run_heads.n_samples as detection_score
    from run_heads
    inner join latest_runs
        on run_heads.model = latest_runs.model
        and run_heads.benchmark = latest_runs.benchmark
        and run_heads.query_kind = latest_runs.query_kind
        and run_heads.run_id = latest_runs.run_id
    left join top_n_counts
        on run_heads.model = top_n_counts.model
        and run_heads.benchmark = top_n_counts.benchmark
        and run_heads.query_kind = top_n_counts.query_kind
        and run_heads.layer = top_n_counts.layer
        and run_heads.head = top_n_counts.head
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
