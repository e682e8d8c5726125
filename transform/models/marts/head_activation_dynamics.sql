-- head_activation_dynamics: finding 5 of Bi et al., head activation depends on the context: is a head a
-- visual head for every question, or does it switch on and off from sample to sample?
--   active in a sample    image lift above head_active_min_image_lift() = 1 (macro head_is_active: more
--                         attention on the image than attending evenly to all keys would give)
--   activation_rate       n_active / n_scored (samples with an image lift); activation_entropy_bits its binary
--                         entropy (macro binary_entropy_bits: 0 = always or never active, 1 = half the time)
--   top_n_rate            share of samples in which the head is among the sample's top_n heads by
--                         image_fraction (= head_scores.detection_score)
--   variability           std and coefficient of variation (std / mean) of image_fraction, its 10th, 50th
--                         and 90th percentiles (linear interpolation), mean and std of the head's per-sample
--                         rank by image_fraction (int_head_facts_ranked_per_sample.sample_rank)
-- Standard deviations are sample standard deviations (NULL for one sample).
-- Grain: one row per model × benchmark × query_kind × layer × head.
with ranked_per_sample as (
    select * from int_head_facts_ranked_per_sample
),

per_head as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        relative_depth,
        stage,
        count(*) as n_samples,

        ---------- activity
        count(image_lift) as n_scored,
        cast(count_if(head_is_active(image_lift)) as bigint) as n_active,
        count_if(head_is_active(image_lift)) / nullif(count(image_lift), 0) as activation_rate,
        count_if(is_top_n) / count(*) as top_n_rate,

        ---------- variability of the attention on the image
        avg(image_fraction) as mean_image_fraction,
        stddev_samp(image_fraction) as std_image_fraction,
        quantile_cont(image_fraction, 0.1) as p10_image_fraction,
        quantile_cont(image_fraction, 0.5) as median_image_fraction,
        quantile_cont(image_fraction, 0.9) as p90_image_fraction,
        avg(image_lift) as mean_image_lift,
        stddev_samp(image_lift) as std_image_lift,
        avg(sample_rank) as mean_sample_rank,
        stddev_samp(sample_rank) as std_sample_rank
    from ranked_per_sample
    group by model, benchmark, query_kind, layer, head, relative_depth, stage
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
