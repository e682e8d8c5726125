-- weight_concentration_corr: Figure 1 of Bi et al. with its uncertainty. Across the heads of a model, the
-- Pearson and Spearman correlation of a head's attention weight on image tokens (mean_image_fraction) and
-- its concentration (mean_image_concentration): the point estimates of model_correlations, with intervals
-- at ci_level() = 95 %:
--   <stat>_ci_low/high   percentile bootstrap over samples. Replicate r (1..bootstrap_replicates()) weights
--                        each sample by bootstrap_weight(r, sample_id) ~ Poisson(1) (macros/bootstrap.sql:
--                        md5 of a fixed seed, r and the sample id), recomputes every head's means as
--                        sum(w × value) / sum(w) and the correlations over the heads; the interval is the
--                        2.5 % and 97.5 % quantiles (linear interpolation) of the replicates. The replicates'
--                        correlations come from int_bootstrap_replicates_correlated_per_run (written by the C#
--                        kernel of int_facts_of_latest_runs_reduced_per_head: one scan of the facts, the weighted
--                        sums a matrix product, no resampled copy of them). The weights depend on
--                        (replicate, sample_id) only, so models answering the same benchmark are resampled
--                        alike (paired).
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

-- the latest runs with their sample counts
run_sample_counts as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        run_index,
        count(*) as n_samples
    from int_benchmark_runs_latest_samples_numbered
    group by model, benchmark, query_kind, run_id, run_index
),

-- run × replicate: Pearson of the heads' weighted means and Spearman (Pearson of their average ranks) over the heads
-- whose two means the replicate draws, from the kernel (NULL where the replicate draws no sample at all, NaN for one head or a
-- constant mean: both left out below)
replicate_correlations as (
    select * from int_bootstrap_replicates_correlated_per_run
),

intervals as (
    select
        runs.model,
        runs.benchmark,
        runs.query_kind,
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
    inner join run_sample_counts as runs
        on replicate_correlations.model = runs.model
        and replicate_correlations.run_index = runs.run_index
    group by runs.model, runs.benchmark, runs.query_kind
),

final as (
    select
        point_estimates.model,
        point_estimates.benchmark,
        point_estimates.query_kind,
        point_estimates.n_heads,
        run_sample_counts.n_samples,

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
    left join run_sample_counts
        on point_estimates.model = run_sample_counts.model
        and point_estimates.benchmark = run_sample_counts.benchmark
        and point_estimates.query_kind = run_sample_counts.query_kind
)

select * from final
