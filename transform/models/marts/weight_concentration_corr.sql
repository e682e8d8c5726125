-- weight_concentration_corr: Figure 1 of Bi et al. with its uncertainty. Across the heads of a model, the
-- Pearson and Spearman correlation of a head's attention weight on image tokens (mean_image_fraction) and
-- its concentration (mean_image_concentration): the point estimates of model_correlations, with intervals
-- at ci_level() = 95 %:
--   <stat>_ci_low/high   percentile bootstrap over samples. Replicate r (1..bootstrap_replicates()) weights
--                        each sample by bootstrap_weight(r, sample_id) ~ Poisson(1) (macros/bootstrap.sql:
--                        md5 of a fixed seed, r and the sample id), recomputes every head's means as
--                        sum(w × value) / sum(w) and the correlations over the heads; the interval is the
--                        2.5 % and 97.5 % quantiles (linear interpolation) of the replicates. No resampled
--                        copy of the facts is made: each head's values over the run's samples are one list in
--                        sample_id order (NULL where the head has no fact or a NULL value), each replicate's
--                        weights one list in the same order, and a weighted sum is the inner product of the two.
--                        The weights depend on (replicate, sample_id) only, so models answering the same
--                        benchmark are resampled alike (paired). Cost: replicates × fact rows multiply-adds.
--   <stat>_bootstrap_se  standard deviation of the replicates; <stat>_bootstrap_bias: their mean minus the point
--                        estimate. A correlation of head means drops as the means get noisier, and a replicate
--                        holds fewer distinct samples than the run, so with few samples the bias is negative
--                        and the percentile interval can sit below the point estimate: read both.
--   pearson_fisher_ci_*  Fisher z interval over n_heads heads (macros/correlation_ci.sql), a cross-check that
--                        treats heads as independent pairs and ignores the sampling of samples.
-- A head enters a replicate when both its weighted means exist; a replicate whose weights are all 0 or whose
-- correlation is undefined (NaN: a constant mean) is left out; n_replicates counts those used for pearson.
-- Built one model at a time (its lists fit in memory; macro in_partition keeps the scans to the model's files).
-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × benchmark × query_kind.
with point_estimates as (
    select * from model_correlations
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

-- the samples of each latest run, numbered 1..n in sample_id order: its rows in samples (ingest writes a sample's row
-- with its head facts, in the same chunk), which spares a distinct over the facts
run_samples as (
    select
        samples.model,
        samples.benchmark,
        samples.query_kind,
        samples.run_id,
        samples.sample_id,
        row_number() over (
            partition by samples.model, samples.benchmark, samples.query_kind
            order by samples.sample_id
        ) as sample_index
    from stg_samples as samples
    inner join latest_runs
        on samples.model = latest_runs.model
        and samples.benchmark = latest_runs.benchmark
        and samples.query_kind = latest_runs.query_kind
        and samples.run_id = latest_runs.run_id
    where in_partition(samples.model)
),

run_sample_lists as (
    select
        model,
        benchmark,
        query_kind,
        list(sample_id order by sample_index) as sample_ids,
        count(*) as n_samples
    from run_samples
    group by model, benchmark, query_kind
),

-- every head's facts of the latest run as one list, ordered by sample number (list_grade_up of the numbers)
head_lists as (
    select
        head_facts.model,
        head_facts.benchmark,
        head_facts.query_kind,
        head_facts.layer,
        head_facts.head,
        list(struct_pack(
            sample_index := run_samples.sample_index,
            image_fraction := head_facts.image_fraction,
            image_concentration := head_facts.image_concentration
        )) as unordered
    from stg_head_facts as head_facts
    inner join run_samples
        on head_facts.model = run_samples.model
        and head_facts.benchmark = run_samples.benchmark
        and head_facts.query_kind = run_samples.query_kind
        and head_facts.run_id = run_samples.run_id
        and head_facts.sample_id = run_samples.sample_id
    where in_partition(head_facts.model)
    group by head_facts.model, head_facts.benchmark, head_facts.query_kind, head_facts.layer, head_facts.head
),

-- aligned to the run's samples 1..n: a head lacking a sample's fact gets NULL there
head_values as (
    select
        ordered_lists.model,
        ordered_lists.benchmark,
        ordered_lists.query_kind,
        ordered_lists.layer,
        ordered_lists.head,
        case
            when list_transform(ordered_lists.ordered, f -> f.sample_index) = range(1, run_sample_lists.n_samples + 1)
                then ordered_lists.ordered
            else list_transform(range(1, run_sample_lists.n_samples + 1),
                i -> ordered_lists.ordered[list_position(list_transform(ordered_lists.ordered, f -> f.sample_index), i)])
        end as aligned
    from (
        select *, list_select(unordered, list_grade_up(list_transform(unordered, f -> f.sample_index))) as ordered
        from head_lists
    ) as ordered_lists
    inner join run_sample_lists
        on ordered_lists.model = run_sample_lists.model
        and ordered_lists.benchmark = run_sample_lists.benchmark
        and ordered_lists.query_kind = run_sample_lists.query_kind
),

-- values with NULL as 0 for the inner products, and which samples hold a value (only needed when one does not)
head_vectors as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        list_transform(aligned, f -> coalesce(f.image_fraction, 0)) as fractions,
        list_transform(aligned, f -> coalesce(f.image_concentration, 0)) as concentrations,
        case when list_bool_or(list_transform(aligned, f -> f.image_fraction is null))
            then list_transform(aligned, f -> cast(f.image_fraction is not null as double)) end as fraction_present,
        case when list_bool_or(list_transform(aligned, f -> f.image_concentration is null))
            then list_transform(aligned, f -> cast(f.image_concentration is not null as double)) end as concentration_present
    from head_values
),

replicates as (
    select range as replicate
    from range(1, bootstrap_replicates() + 1)
),

-- replicate × run: how often the replicate draws each sample, in sample_id order; replicates drawing none are dropped
-- (materialized: the md5 draws are made once per replicate and sample, not once per head)
replicate_weights as materialized (
    with drawn as (
        select
            replicates.replicate,
            run_sample_lists.model,
            run_sample_lists.benchmark,
            run_sample_lists.query_kind,
            list_transform(run_sample_lists.sample_ids,
                s -> cast(bootstrap_weight(replicates.replicate, s) as double)) as weights
        from run_sample_lists
        cross join replicates
    )
    select *, list_sum(weights) as total_weight
    from drawn
    where total_weight > 0
),

-- replicate × head: the head's means over the replicate's weighted samples (materialized: computed once, not again
-- inside the filter below)
replicate_head_means as materialized (
    select
        replicate_weights.replicate,
        head_vectors.model,
        head_vectors.benchmark,
        head_vectors.query_kind,
        head_vectors.layer,
        head_vectors.head,
        list_inner_product(head_vectors.fractions, replicate_weights.weights)
            / nullif(coalesce(list_inner_product(head_vectors.fraction_present, replicate_weights.weights),
                replicate_weights.total_weight), 0) as mean_image_fraction,
        list_inner_product(head_vectors.concentrations, replicate_weights.weights)
            / nullif(coalesce(list_inner_product(head_vectors.concentration_present, replicate_weights.weights),
                replicate_weights.total_weight), 0) as mean_image_concentration
    from head_vectors
    inner join replicate_weights
        on head_vectors.model = replicate_weights.model
        and head_vectors.benchmark = replicate_weights.benchmark
        and head_vectors.query_kind = replicate_weights.query_kind
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
        run_sample_lists.n_samples,

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
    left join run_sample_lists
        on point_estimates.model = run_sample_lists.model
        and point_estimates.benchmark = run_sample_lists.benchmark
        and point_estimates.query_kind = run_sample_lists.query_kind
)

select * from final
