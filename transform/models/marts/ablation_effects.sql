-- ablation_effects: every labelled head-ablation point of `vhw ablate` (stg_ablation_results) from the latest sweep
-- configuration per model × benchmark (config_id of the most recent result; older configurations stay raw), the
-- latest result per label, with the model's family and scale and the distribution of the random draws it is judged
-- against: top and all-layer random rows against the all-layer random draws of the same k; stage rows and in-stage
-- random rows against the random draws of that stage (NULL when the sweep drew none). random_percentile is the
-- mid-rank percentile of the row's accuracy among those draws, 100 · (#lower + ½ · #equal) / #draws: low = removing
-- these heads hurts more than removing random ones. changed_share = n_changed / n, the share of samples whose
-- prediction differs from the baseline's (the mechanism, visible even where accuracy cannot move).
-- n_stage_heads = heads of the row's stage (macro stage_of).
-- Grain: one row per model × benchmark × mode × strategy × stage × k × seed × score × score_source.
with results as (
    select * from stg_ablation_results
),

models as (
    select
        model,
        any_value(family) as family,
        any_value(scale) as scale,
        any_value(n_layers) as n_layers,
        any_value(n_heads) as n_heads
    from stg_models
    group by model
),

latest_config as (
    select model, benchmark, config_id
    from results
    qualify row_number() over (partition by model, benchmark order by finished_at desc, config_id desc) = 1
),

latest_results as (
    select
        results.*,
        -- the random draws a row is compared with: all layers, or its stage
        case when strategy in ('stage', 'random') then stage end as random_scope,
        n_changed / nullif(n, 0) as changed_share
    from results
    inner join latest_config
        on results.model = latest_config.model
        and results.benchmark = latest_config.benchmark
        and results.config_id = latest_config.config_id
    qualify row_number() over (
        partition by results.model, results.benchmark, mode, strategy, stage, k, seed, score, score_source
        order by finished_at desc, result_id desc
    ) = 1
),

random_draws as (
    select * from latest_results where strategy = 'random'
),

random_distribution as (
    select
        point.result_id,
        count(*) as random_n_draws,
        avg(draw.accuracy) as random_mean_accuracy,
        min(draw.accuracy) as random_min_accuracy,
        max(draw.accuracy) as random_max_accuracy,
        quantile_cont(draw.accuracy, 0.05) as random_p05_accuracy,
        quantile_cont(draw.accuracy, 0.95) as random_p95_accuracy,
        avg(draw.delta) as random_mean_delta,
        avg(draw.changed_share) as random_mean_changed_share,
        quantile_cont(draw.changed_share, 0.05) as random_p05_changed_share,
        quantile_cont(draw.changed_share, 0.95) as random_p95_changed_share,
        100.0 * (count_if(draw.accuracy < point.accuracy) + 0.5 * count_if(draw.accuracy = point.accuracy)) / count(*)
            as random_percentile
    from latest_results as point
    inner join random_draws as draw
        on point.model = draw.model
        and point.benchmark = draw.benchmark
        and point.mode = draw.mode
        and point.k = draw.k
        and point.random_scope is not distinct from draw.random_scope
        and point.score is not distinct from draw.score
        and point.score_source is not distinct from draw.score_source
    where point.strategy <> 'baseline'
    group by point.result_id
),

model_layers as (
    select model, n_layers, n_heads, unnest(range(n_layers)) as layer
    from models
),

stage_sizes as (
    select model, stage_of(layer, n_layers) as stage, count(*) * any_value(n_heads) as n_stage_heads
    from model_layers
    group by model, stage_of(layer, n_layers)
),

final as (
    select
        latest_results.model,
        models.family,
        models.scale,
        latest_results.benchmark,
        latest_results.mode,
        latest_results.strategy,
        latest_results.stage,
        latest_results.score,
        latest_results.score_source,
        latest_results.k,
        latest_results.n_model_heads,
        latest_results.k / latest_results.n_model_heads as k_share,
        stage_sizes.n_stage_heads,
        latest_results.seed,
        latest_results.rng_seed,
        latest_results.spec,
        latest_results.heads,
        latest_results.selection_hash,
        latest_results.n,
        latest_results.n_correct,
        latest_results.accuracy,
        latest_results.ci_low,
        latest_results.ci_high,
        latest_results.baseline_accuracy,
        latest_results.delta,
        latest_results.n_lost,
        latest_results.n_gained,
        latest_results.mcnemar_p,
        latest_results.n_changed,
        latest_results.changed_share,
        latest_results.n_rejects,
        random_distribution.random_n_draws,
        random_distribution.random_mean_accuracy,
        random_distribution.random_min_accuracy,
        random_distribution.random_max_accuracy,
        random_distribution.random_p05_accuracy,
        random_distribution.random_p95_accuracy,
        random_distribution.random_mean_delta,
        random_distribution.random_mean_changed_share,
        random_distribution.random_p05_changed_share,
        random_distribution.random_p95_changed_share,
        random_distribution.random_percentile,
        latest_results.config_id,
        latest_results.eval_id,
        latest_results.baseline_eval_id,
        latest_results.result_id,
        latest_results.finished_at
    from latest_results
    left join models on latest_results.model = models.model
    left join stage_sizes
        on latest_results.model = stage_sizes.model
        and latest_results.stage = stage_sizes.stage
    left join random_distribution on latest_results.result_id = random_distribution.result_id
)

select * from final
