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
-- Counts, means, activity and top-N counts come from int_run_heads_filtered_to_latest (the latest run's heads, the
-- same rows as head_scores).
-- Standard deviations are sample standard deviations (NULL for one sample).
-- Grain: one row per model × benchmark × query_kind × layer × head.
with heads as (
    select * from int_run_heads_filtered_to_latest
),

percentiles as (
    select * from int_image_fraction_percentiles_per_head
),

per_head as (
    select
        heads.model,
        heads.benchmark,
        heads.query_kind,
        heads.layer,
        heads.head,
        heads.layer / heads.n_layers as relative_depth,
        stage_of(heads.layer, heads.n_layers) as stage,
        heads.n_samples,

        ---------- activity
        heads.n_scored,
        heads.n_active,
        heads.n_active / nullif(heads.n_scored, 0) as activation_rate,
        heads.n_samples_in_top_n / heads.n_samples as top_n_rate,

        ---------- variability of the attention on the image
        heads.mean_image_fraction,
        heads.std_image_fraction,
        percentiles.p10_image_fraction,
        percentiles.median_image_fraction,
        percentiles.p90_image_fraction,
        heads.mean_image_lift,
        heads.std_image_lift,
        heads.mean_image_rank as mean_sample_rank,
        heads.std_image_rank as std_sample_rank
    from heads
    left join percentiles
        on heads.model = percentiles.model
        and heads.benchmark = percentiles.benchmark
        and heads.query_kind = percentiles.query_kind
        and heads.layer = percentiles.layer
        and heads.head = percentiles.head
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
