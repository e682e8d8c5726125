-- int_bootstrap_weights_per_sample_id: every bootstrap replicate's weight of each sample id of the latest runs,
-- drawn once: weights[r] = bootstrap_weight(r, sample_id) for r = 1..bootstrap_replicates() (bootstrap_weights,
-- macros/bootstrap.sql: the Poisson(1) draw from md5 of the seed, r and the sample id). A weight depends on the
-- replicate and the sample id only,
-- so the models answering a benchmark share one list (and are resampled alike); drawing per model would repeat the
-- md5s for every model (1000 replicates × 15 000 samples: seconds each time).
-- Grain: one row per sample_id.
with sample_ids as (
    select distinct sample_id from int_benchmark_runs_latest_samples_numbered
),

final as (
    select
        sample_id,
        bootstrap_weights(sample_id) as weights
    from sample_ids
)

select * from final
