-- head_activation_dynamics: finding 5 of Bi et al., head activation depends on the context: is a head a
-- visual head for every question, or does it switch on and off from sample to sample?
--   active in a sample    image lift above head_active_min_image_lift() = 1 (macro head_is_active: more
--                         attention on the image than attending evenly to all keys would give)
--   activation_rate       n_active / n_scored (samples with an image lift); activation_entropy_bits its binary
--                         entropy (macro binary_entropy_bits: 0 = always or never active, 1 = half the time)
--   top_n_rate            share of samples in which the head is among the sample's top_n heads by
--                         image_fraction (= head_scores.detection_score)
--   variability           std and coefficient of variation (std / mean) of image_fraction, its 10th, 50th
--                         and 90th percentiles (linear interpolation, int_image_fraction_percentiles_per_head), mean
--                         and std of the head's per-sample rank by image_fraction (image_rank, see schema.sql)
-- Counts, means and activity come from int_attention_aggregated_to_run_head (rows of the latest run), top-N counts
-- from int_heads_counted_in_sample_top_n (the same ones as head_scores).
-- Standard deviations are sample standard deviations (NULL for one sample).
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

percentiles as (
    select * from int_image_fraction_percentiles_per_head
),

per_head as (
    select
        run_heads.model,
        run_heads.benchmark,
        run_heads.query_kind,
        run_heads.layer,
        run_heads.head,
        run_heads.layer / latest_runs.n_layers as relative_depth,
        stage_of(run_heads.layer, latest_runs.n_layers) as stage,
        run_heads.n_samples,

        ---------- activity
        run_heads.n_scored,
        run_heads.n_active,
        run_heads.n_active / nullif(run_heads.n_scored, 0) as activation_rate,
        coalesce(top_n_counts.n_samples_in_top_n, 0) / run_heads.n_samples as top_n_rate,

        ---------- variability of the attention on the image
        run_heads.mean_image_fraction,
        run_heads.std_image_fraction,
        percentiles.p10_image_fraction,
        percentiles.median_image_fraction,
        percentiles.p90_image_fraction,
        run_heads.mean_image_lift,
        run_heads.std_image_lift,
        run_heads.mean_image_rank as mean_sample_rank,
        run_heads.std_image_rank as std_sample_rank
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
    left join percentiles
        on run_heads.model = percentiles.model
        and run_heads.benchmark = percentiles.benchmark
        and run_heads.query_kind = percentiles.query_kind
        and run_heads.layer = percentiles.layer
        and run_heads.head = percentiles.head
),

final as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        relative_depth,
        stage,
        n_samples,
        n_scored,
        n_active,
        activation_rate,
        binary_entropy_bits(activation_rate) as activation_entropy_bits,
        top_n_rate,
        head_active_min_image_lift() as activation_min_image_lift,
        mean_image_fraction,
        std_image_fraction,
        std_image_fraction / nullif(mean_image_fraction, 0) as cv_image_fraction,
        p10_image_fraction,
        median_image_fraction,
        p90_image_fraction,
        mean_image_lift,
        std_image_lift,
        mean_sample_rank,
        std_sample_rank
    from per_head
)

select * from final
