-- stg_ablation_results: the raw ablation_results view (schema.sql), renamed and cast only.
-- Grain: one row per labelled sweep point × model × benchmark.
with source as (
    select * from ablation_results
),

final as (
    select
        ---------- ids
        cast(result_id as varchar) as result_id,
        cast(config_id as varchar) as config_id,
        cast(eval_id as varchar) as eval_id,
        cast(baseline_eval_id as varchar) as baseline_eval_id,
        cast(model as varchar) as model,
        cast(benchmark as varchar) as benchmark,

        ---------- the selection
        cast(mode as varchar) as mode,
        cast(spec as varchar) as spec,
        cast(strategy as varchar) as strategy,
        cast(stage as varchar) as stage,
        cast(score as varchar) as score,
        cast(score_source as varchar) as score_source,
        cast(k as integer) as k,
        cast(n_model_heads as integer) as n_model_heads,
        cast(seed as integer) as seed,
        cast(rng_seed as bigint) as rng_seed,
        cast(selection_hash as varchar) as selection_hash,
        cast(heads as varchar) as heads,

        ---------- accuracy and the paired test against the baseline
        cast(n as integer) as n,
        cast(n_correct as integer) as n_correct,
        cast(accuracy as double) as accuracy,
        cast(ci_low as double) as ci_low,
        cast(ci_high as double) as ci_high,
        cast(baseline_accuracy as double) as baseline_accuracy,
        cast(delta as double) as delta,
        cast(n_lost as integer) as n_lost,
        cast(n_gained as integer) as n_gained,
        cast(mcnemar_p as double) as mcnemar_p,
        cast(n_changed as integer) as n_changed,
        cast(n_rejects as integer) as n_rejects,

        ---------- provenance
        cast(config_json as varchar) as config_json,
        cast(vhw_version as varchar) as vhw_version,
        cast(finished_at as timestamp) as finished_at
    from source
)

select * from final
