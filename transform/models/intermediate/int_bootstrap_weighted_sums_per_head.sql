-- int_bootstrap_weighted_sums_per_head: the bootstrap over samples of weight_concentration_corr, up to its sums. For
-- every head of a latest run and every replicate r (1..bootstrap_replicates()), with w(r, s) = bootstrap_weight(r,
-- sample_id) ~ Poisson(1) (macros/bootstrap.sql, the one definition of the weights):
--   fraction_sums[r]  = sum over the run's samples s of w(r, s) × image_fraction(s)
--   fraction_weights[r] = sum of w(r, s) over the samples whose fact holds an image_fraction
-- and the same for image_concentration (element r of each list is replicate r). A head's replicate mean is sum / weight.
-- The sums are a matrix product, (heads × samples) · (samples × replicates), which the C# kernel
-- bootstrap_weighted_sums (transform/Vhw.Transform/Kernels/BootstrapWeightedSums.cs) computes from the two selects
-- below: one scan of the facts, no resampled copy of them, and no aggregate update per fact and replicate (what a
-- SQL GROUP BY pays: 2 × replicates × facts of them). The runner keeps each input's rows of the model being built
-- (model = <partition>, then drops the model column); in_partition keeps the scans to that model's files.
-- materialized: kernel bootstrap_weighted_sums partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × run_index × layer × head (run_index: int_bootstrap_samples_indexed_per_run).

-- input 1, weights: every sample of a latest run in every replicate
with samples as (
    select * from int_bootstrap_samples_indexed_per_run
    where in_partition(model)
),

replicates as (
    select cast(range as integer) as replicate
    from range(1, bootstrap_replicates() + 1)
),

final as (
    select
        samples.model,
        samples.run_index,
        samples.sample_index,
        replicates.replicate,
        cast(bootstrap_weight(replicates.replicate, samples.sample_id) as double) as weight
    from samples
    cross join replicates
)

select * from final;

-- input 2, facts: the head facts of those samples (a fact of another run or of no listed sample is not read)
with head_facts as (
    select * from stg_head_facts
    where in_partition(model)
),

samples as (
    select * from int_bootstrap_samples_indexed_per_run
    where in_partition(model)
),

final as (
    select
        head_facts.model,
        samples.run_index,
        samples.sample_index,
        head_facts.layer,
        head_facts.head,
        head_facts.image_fraction,
        head_facts.image_concentration
    from head_facts
    inner join samples
        on head_facts.model = samples.model
        and head_facts.benchmark = samples.benchmark
        and head_facts.query_kind = samples.query_kind
        and head_facts.run_id = samples.run_id
        and head_facts.sample_id = samples.sample_id
)

select * from final
