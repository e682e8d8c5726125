-- int_facts_of_latest_runs_reduced_per_head: one pass over the facts of every latest run for the two reductions SQL
-- does slowly on them, computed by the C# kernel head_reductions (transform/Vhw.Transform/Kernels/), which writes two
-- tables:
-- this table, one row per run and head:
--   p10_image_fraction, median_image_fraction, p90_image_fraction
--                     percentiles of image_fraction over the run's samples, linear interpolation between order
--                     statistics as DuckDB's quantile_cont (Kernels/LinearQuantile.cs; NULL values skipped), one sort
--                     per head instead of a per-group quantile state (int_image_fraction_percentiles_per_head);
-- int_bootstrap_replicates_correlated_per_run, one row per run and replicate r = 1..bootstrap_replicates() of the
-- Poisson bootstrap over samples of weight_concentration_corr (grain: model × run_index × replicate):
--   n_heads           the run's heads whose two weighted means the replicate draws: a head's mean of image_fraction in
--                     replicate r is the sum over the run's samples s of w(r, s) × image_fraction(s), divided by the sum of
--                     w(r, s) over the samples whose fact holds an image_fraction (not drawn when that is 0), and its mean
--                     of image_concentration the same, with w(r, s) = bootstrap_weight(r, sample_id) (macros/bootstrap.sql,
--                     the one definition of the weights; drawn once per sample id, int_bootstrap_weights_per_sample_id).
--                     The sums are a matrix product, (replicates × samples) · (samples × heads) (Kernels/ReplicateSums.cs):
--                     no resampled copy of the facts and no aggregate update per fact and replicate (what a SQL GROUP BY
--                     pays: 2 × replicates × facts of them);
--   pearson           corr(mean image_fraction, mean image_concentration) over those heads (as DuckDB's corr: NULL without a
--                     head, NaN for one head or where a mean is constant);
--   spearman          the same correlation of the two means' average ranks among those heads (macros/average_rank.sql,
--                     computed as Kernels/AverageRank.cs): Spearman's rho.
--                     The heads' means and ranks are not stored: at 1 000 replicates they were 2 GB per 250M facts, which
--                     cost more to write and unnest than the correlations (Kernels/ReplicateCorrelations.cs).
-- The kernel reads the two selects below; the runner keeps each one's rows of the model being built (model =
-- <partition>, then drops the model column), and in_partition keeps the scans to that model's files. Facts find their
-- sample by sample_key inside the kernel, not by a join here (the join was half of the facts query: BENCHMARKS.md);
-- a fact whose key is no sample of input 1 (a fact of an older run, or of a sample without a samples row) is skipped.
-- materialized: kernel head_reductions partitioned by model from int_benchmark_runs_filtered_to_latest
-- also materialized: int_bootstrap_replicates_correlated_per_run
-- Grain: one row per model × run_index × layer × head (run_index: int_benchmark_runs_latest_samples_numbered); the second
-- table: one row per model × run_index × replicate.

-- input 1, weights: every sample of a latest run with its sample_key and its list of weights, one per replicate
-- (int_bootstrap_weights_per_sample_id)
with samples as (
    select * from int_benchmark_runs_latest_samples_numbered
    where in_partition(model)
),

weights as (
    select * from int_bootstrap_weights_per_sample_id
),

final as (
    select
        samples.model,
        samples.run_index,
        samples.sample_index,
        samples.sample_key,
        weights.weights
    from samples
    inner join weights
        on samples.sample_id = weights.sample_id
)

select * from final;

-- input 2, facts: every head fact of the model with its sample's key (macros/sample_key.sql, the key
-- int_benchmark_runs_latest_samples_numbered stores)
with head_facts as (
    select * from stg_head_facts
    where in_partition(model)
),

final as (
    select
        model,
        sample_key(model, benchmark, query_kind, run_id, sample_id) as sample_key,
        layer,
        head,
        image_fraction,
        image_concentration
    from head_facts
)

select * from final
