-- weight_concentration_corr: Figure 1 of Bi et al. with its uncertainty. Across the heads of a model, the
-- Pearson and Spearman correlation of a head's attention weight on image tokens (mean_image_fraction) and
-- its concentration (mean_image_concentration): the point estimates of model_correlations, with intervals
-- at ci_level() = 95 %:
--   <stat>_ci_low/high   percentile bootstrap over samples. Replicate r (1..bootstrap_replicates()) weights
--                        each sample by bootstrap_weight(r, sample_id) ~ Poisson(1) (macros/bootstrap.sql:
--                        md5 of a fixed seed, r and the sample id), recomputes every head's means as
--                        sum(w × value) / sum(w) and the correlations over the heads; the interval is the
--                        2.5 % and 97.5 % quantiles (linear interpolation) of the replicates. No resampled
--                        copy of the facts is made: a sample's weights are one row per block of up to 50
--                        replicates with a column per replicate (a PIVOT), each fact meets its sample's rows as
--                        the facts stream through one join, and every head's weighted sums of all replicates
--                        come out of one GROUP BY over the facts (DuckDB's COLUMNS expression: two sums per
--                        replicate). The weights depend on (replicate, sample_id) only, so models
--                        answering the same benchmark are resampled alike (paired). Cost: 2 × replicates ×
--                        fact rows multiply-adds, in one scan of the facts.
--   <stat>_bootstrap_se  standard deviation of the replicates; <stat>_bootstrap_bias: their mean minus the point
--                        estimate. A correlation of head means drops as the means get noisier, and a replicate
--                        holds fewer distinct samples than the run, so with few samples the bias is negative
--                        and the percentile interval can sit below the point estimate: read both.
--   pearson_fisher_ci_*  Fisher z interval over n_heads heads (macros/correlation_ci.sql), a cross-check that
--                        treats heads as independent pairs and ignores the sampling of samples.
-- A head enters a replicate when both its weighted means exist; a replicate whose weights are all 0 or whose
-- correlation is undefined (NaN: a constant mean) is left out; n_replicates counts those used for pearson.
-- Built one model at a time (its heads × replicates sums fit in memory; macro in_partition keeps the scans to the
-- model's files).
-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × benchmark × query_kind.
with point_estimates as (
    select * from model_correlations
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

-- the samples of each latest run (its rows in samples: ingest writes a sample's row with its head facts, in the same
-- chunk)
run_samples as (
    select
        samples.model,
        samples.benchmark,
        samples.query_kind,
        samples.run_id,
        samples.sample_id
    from stg_samples as samples
    semi join latest_runs
        on samples.model = latest_runs.model
        and samples.benchmark = latest_runs.benchmark
        and samples.query_kind = latest_runs.query_kind
        and samples.run_id = latest_runs.run_id
    where in_partition(samples.model)
),

run_sample_counts as (
    select model, benchmark, query_kind, run_id, count(*) as n_samples
    from run_samples
    group by model, benchmark, query_kind, run_id
),

-- the replicates in equal blocks of at most 50: replicate r is slot (r - 1) % block_width of block (r - 1) // block_width
-- (1000 replicates: 20 blocks of 50). A block's weights are 50 columns below, so the SQL that DuckDB plans stays the
-- same size whatever the replicate count (1000 columns took a second to plan, again for every model built).
replicates as (
    select
        range as replicate,
        (range - 1) // block_width as block,
        (range - 1) % block_width as slot
    from range(1, bootstrap_replicates() + 1)
    cross join (
        select cast(ceil(bootstrap_replicates() / ceil(bootstrap_replicates() / 50)) as bigint) as block_width
    )
),

-- sample × replicate: how often the replicate draws the sample; plus one keyless row per slot, which joins no fact
-- but gives the pivot below all its columns when a partition has no sample
sample_draws as (
    select
        run_samples.model,
        run_samples.benchmark,
        run_samples.query_kind,
        run_samples.run_id,
        run_samples.sample_id,
        replicates.block,
        replicates.slot,
        cast(bootstrap_weight(replicates.replicate, run_samples.sample_id) as double) as weight
    from run_samples
    cross join replicates
    union all
    select distinct null, null, null, null, null, null, slot, null
    from replicates
),

-- one row per sample and block, one column per slot of the block: w000, w001, … (zero-padded, so every COLUMNS('^w…')
-- below lists them in the same order; a replicate is identified by its block and that position); materialized: read
-- three times below, drawn once
sample_weights as materialized (
    pivot sample_draws
    on 'w' || lpad(cast(slot as varchar), 3, '0')
    using first(weight)
    group by model, benchmark, query_kind, run_id, sample_id, block
),

-- every head's weighted sums for all replicates of a block in one pass over the facts (each fact meets its sample's
-- row of every block): f… = sum(w × image_fraction), c… = sum(w × image_concentration) (NULL values add nothing), and
-- how many facts hold each value
head_sums as (
    select
        head_facts.model,
        head_facts.benchmark,
        head_facts.query_kind,
        head_facts.run_id,
        head_facts.layer,
        head_facts.head,
        sample_weights.block,
        count(head_facts.image_fraction) as n_fraction,
        count(head_facts.image_concentration) as n_concentration,
        sum(columns('^w(\d+)$') * head_facts.image_fraction) as 'f\1',
        sum(columns('^w(\d+)$') * head_facts.image_concentration) as 'c\1'
    from stg_head_facts as head_facts
    inner join sample_weights
        on head_facts.model = sample_weights.model
        and head_facts.benchmark = sample_weights.benchmark
        and head_facts.query_kind = sample_weights.query_kind
        and head_facts.run_id = sample_weights.run_id
        and head_facts.sample_id = sample_weights.sample_id
    where in_partition(head_facts.model)
    group by all
),

-- per run and block: each replicate's total weight, the denominator of every head holding all its values
run_weights as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        block,
        [*columns('^t\d+$')] as total_weights
    from (
        select
            model,
            benchmark,
            query_kind,
            run_id,
            block,
            sum(columns('^w(\d+)$')) as 't\1'
        from sample_weights
        where sample_id is not null
        group by model, benchmark, query_kind, run_id, block
    )
),

-- heads lacking a value (or a fact) for some sample of the run: their denominators sum the weights of the samples
-- that hold a value (a second, filtered pass over the facts; usually there is no such head and it reads nothing). Its
-- join of the facts to sample_weights repeats head_sums' on purpose: a CTE shared by both would be read twice, and
-- DuckDB materialises such a CTE, here the whole weighted fact stream.
incomplete_heads as (
    select distinct
        head_sums.model,
        head_sums.benchmark,
        head_sums.query_kind,
        head_sums.run_id,
        head_sums.layer,
        head_sums.head
    from head_sums
    inner join run_sample_counts
        on head_sums.model = run_sample_counts.model
        and head_sums.benchmark = run_sample_counts.benchmark
        and head_sums.query_kind = run_sample_counts.query_kind
        and head_sums.run_id = run_sample_counts.run_id
    where head_sums.n_fraction < run_sample_counts.n_samples or head_sums.n_concentration < run_sample_counts.n_samples
),

incomplete_head_weights as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        layer,
        head,
        block,
        [*columns('^pf\d+$')] as fraction_weights,
        [*columns('^pc\d+$')] as concentration_weights
    from (
        select
            head_facts.model,
            head_facts.benchmark,
            head_facts.query_kind,
            head_facts.run_id,
            head_facts.layer,
            head_facts.head,
            sample_weights.block,
            sum(columns('^w(\d+)$') * cast(head_facts.image_fraction is not null as double)) as 'pf\1',
            sum(columns('^w(\d+)$') * cast(head_facts.image_concentration is not null as double)) as 'pc\1'
        from stg_head_facts as head_facts
        semi join incomplete_heads
            on head_facts.model = incomplete_heads.model
            and head_facts.benchmark = incomplete_heads.benchmark
            and head_facts.query_kind = incomplete_heads.query_kind
            and head_facts.run_id = incomplete_heads.run_id
            and head_facts.layer = incomplete_heads.layer
            and head_facts.head = incomplete_heads.head
        inner join sample_weights
            on head_facts.model = sample_weights.model
            and head_facts.benchmark = sample_weights.benchmark
            and head_facts.query_kind = sample_weights.query_kind
            and head_facts.run_id = sample_weights.run_id
            and head_facts.sample_id = sample_weights.sample_id
        where in_partition(head_facts.model)
        group by all
    )
),

-- replicate × head: the head's means over the replicate's weighted samples; replicates drawing no sample (and the
-- empty slots of a last block) are dropped (materialized: computed once, not again inside the filter below)
replicate_head_means as materialized (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        replicate,
        fraction_sum / nullif(fraction_weight, 0) as mean_image_fraction,
        concentration_sum / nullif(concentration_weight, 0) as mean_image_concentration
    from (
        select
            head_sums.model,
            head_sums.benchmark,
            head_sums.query_kind,
            head_sums.layer,
            head_sums.head,
            unnest(range(head_sums.block * len(run_weights.total_weights) + 1,
                (head_sums.block + 1) * len(run_weights.total_weights) + 1)) as replicate,
            unnest(run_weights.total_weights) as total_weight,
            unnest([*columns('^f\d+$')]) as fraction_sum,
            unnest([*columns('^c\d+$')]) as concentration_sum,
            unnest(coalesce(incomplete_head_weights.fraction_weights, run_weights.total_weights)) as fraction_weight,
            unnest(coalesce(incomplete_head_weights.concentration_weights, run_weights.total_weights)) as concentration_weight
        from head_sums
        inner join run_weights
            on head_sums.model = run_weights.model
            and head_sums.benchmark = run_weights.benchmark
            and head_sums.query_kind = run_weights.query_kind
            and head_sums.run_id = run_weights.run_id
            and head_sums.block = run_weights.block
        left join incomplete_head_weights
            on head_sums.model = incomplete_head_weights.model
            and head_sums.benchmark = incomplete_head_weights.benchmark
            and head_sums.query_kind = incomplete_head_weights.query_kind
            and head_sums.run_id = incomplete_head_weights.run_id
            and head_sums.layer = incomplete_head_weights.layer
            and head_sums.head = incomplete_head_weights.head
            and head_sums.block = incomplete_head_weights.block
    ) as per_replicate
    where total_weight > 0 and replicate <= bootstrap_replicates()
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
