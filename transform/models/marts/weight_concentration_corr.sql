-- weight_concentration_corr: Figure 1 of Bi et al. with its uncertainty. Across the heads of a model, the
-- Pearson and Spearman correlation of a head's attention weight on image tokens (mean_image_fraction) and
-- its concentration (mean_image_concentration): the point estimates of model_correlations, with intervals
-- at ci_level() = 95 %:
--   <stat>_ci_low/high   percentile bootstrap over samples. Replicate r (1..bootstrap_replicates()) weights
--                        each sample by bootstrap_weight(r, sample_id) ~ Poisson(1) (macros/bootstrap.sql:
--                        md5 of a fixed seed, r and the sample id), recomputes every head's means as
--                        sum(w × value) / sum(w) and the correlations over the heads; the interval is the
--                        2.5 % and 97.5 % quantiles (linear interpolation) of the replicates. No resampled
--                        copy of the facts is made: the weights join the per-sample rows inside one aggregate.
--                        The weights depend on (replicate, sample_id) only, so models answering the same
--                        benchmark are resampled alike (paired).
--   <stat>_bootstrap_se  standard deviation of the replicates; <stat>_bootstrap_bias: their mean minus the point
--                        estimate. A correlation of head means drops as the means get noisier, and a replicate
--                        holds fewer distinct samples than the run, so with few samples the bias is negative
--                        and the percentile interval can sit below the point estimate: read both.
--   pearson_fisher_ci_*  Fisher z interval over n_heads heads (macros/correlation_ci.sql), a cross-check that
--                        treats heads as independent pairs and ignores the sampling of samples.
-- A head enters a replicate when both its weighted means exist; a replicate whose weights are all 0 or whose
-- correlation is undefined (NaN: a constant mean) is left out; n_replicates counts those used for pearson.
-- Grain: one row per model × benchmark × query_kind.
with point_estimates as (
    select * from model_correlations
),

facts as (
    select model, benchmark, query_kind, sample_id, layer, head, image_fraction, image_concentration
    from int_head_facts_joined_to_models
),

samples as (
    select model, benchmark, query_kind, sample_id
    from facts
    group by model, benchmark, query_kind, sample_id
),

sample_counts as (
    select model, benchmark, query_kind, count(*) as n_samples
    from samples
    group by model, benchmark, query_kind
),

replicates as (
    select range as replicate
    from range(1, bootstrap_replicates() + 1)
),

-- replicate × sample: how often the replicate draws the sample; samples drawn 0 times are dropped
drawn_samples as (
    select *
    from (
        select
            replicates.replicate,
            samples.model,
            samples.benchmark,
            samples.query_kind,
            samples.sample_id,
            bootstrap_weight(replicates.replicate, samples.sample_id) as weight
        from samples
        cross join replicates
    )
    where weight > 0
),

-- replicate × head: the head's means over the replicate's weighted samples
replicate_head_means as (
    select
        drawn_samples.replicate,
        facts.model,
        facts.benchmark,
        facts.query_kind,
        facts.layer,
        facts.head,
        sum(drawn_samples.weight * facts.image_fraction)
            / sum(drawn_samples.weight) filter (where facts.image_fraction is not null) as mean_image_fraction,
        sum(drawn_samples.weight * facts.image_concentration)
            / sum(drawn_samples.weight) filter (where facts.image_concentration is not null) as mean_image_concentration
    from facts
    inner join drawn_samples
        on facts.model = drawn_samples.model
        and facts.benchmark = drawn_samples.benchmark
        and facts.query_kind = drawn_samples.query_kind
        and facts.sample_id = drawn_samples.sample_id
    group by drawn_samples.replicate, facts.model, facts.benchmark, facts.query_kind, facts.layer, facts.head
),

replicate_ranked as (
    select
        *,
        average_rank(mean_image_fraction, (replicate, model, benchmark, query_kind)) as fraction_rank,
        average_rank(mean_image_concentration, (replicate, model, benchmark, query_kind)) as concentration_rank
    from replicate_head_means
    where mean_image_fraction is not null and mean_image_concentration is not null
),

replicate_correlations as (
    select
        replicate,
        model,
        benchmark,
        query_kind,
        corr(mean_image_fraction, mean_image_concentration) as pearson,
        corr(fraction_rank, concentration_rank) as spearman
    from replicate_ranked
    group by replicate, model, benchmark, query_kind
),

intervals as (
    select
        model,
        benchmark,
        query_kind,
        count(*) filter (where isfinite(pearson)) as n_replicates,
        quantile_cont(pearson, (1 - ci_level()) / 2) filter (where isfinite(pearson)) as pearson_ci_low,
        quantile_cont(pearson, 1 - (1 - ci_level()) / 2) filter (where isfinite(pearson)) as pearson_ci_high,
        stddev_samp(pearson) filter (where isfinite(pearson)) as pearson_bootstrap_se,
        avg(pearson) filter (where isfinite(pearson)) as pearson_bootstrap_mean,
        quantile_cont(spearman, (1 - ci_level()) / 2) filter (where isfinite(spearman)) as spearman_ci_low,
        quantile_cont(spearman, 1 - (1 - ci_level()) / 2) filter (where isfinite(spearman)) as spearman_ci_high,
        stddev_samp(spearman) filter (where isfinite(spearman)) as spearman_bootstrap_se,
        avg(spearman) filter (where isfinite(spearman)) as spearman_bootstrap_mean
    from replicate_correlations
    group by model, benchmark, query_kind
),

final as (
    select
        point_estimates.model,
        point_estimates.benchmark,
        point_estimates.query_kind,
        point_estimates.n_heads,
        sample_counts.n_samples,

        ---------- pearson
        point_estimates.pearson,
        intervals.pearson_ci_low,
        intervals.pearson_ci_high,
        intervals.pearson_bootstrap_se,
        intervals.pearson_bootstrap_mean - point_estimates.pearson as pearson_bootstrap_bias,
        fisher_z_ci_low(point_estimates.pearson, point_estimates.n_heads) as pearson_fisher_ci_low,
        fisher_z_ci_high(point_estimates.pearson, point_estimates.n_heads) as pearson_fisher_ci_high,

        ---------- spearman
        point_estimates.spearman,
        intervals.spearman_ci_low,
        intervals.spearman_ci_high,
        intervals.spearman_bootstrap_se,
        intervals.spearman_bootstrap_mean - point_estimates.spearman as spearman_bootstrap_bias,

        ---------- bootstrap settings
        coalesce(intervals.n_replicates, 0) as n_replicates,
        bootstrap_replicates() as n_replicates_drawn,
        bootstrap_seed() as bootstrap_seed,
        ci_level() as ci_level
    from point_estimates
    left join intervals
        on point_estimates.model = intervals.model
        and point_estimates.benchmark = intervals.benchmark
        and point_estimates.query_kind = intervals.query_kind
    left join sample_counts
        on point_estimates.model = sample_counts.model
        and point_estimates.benchmark = sample_counts.benchmark
        and point_estimates.query_kind = sample_counts.query_kind
)

select * from final
