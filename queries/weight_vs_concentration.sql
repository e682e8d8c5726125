-- weight_vs_concentration: per model × benchmark × query_kind, the head-level correlation between
-- attention weight on the image and its concentration (finding 3 of Bi et al., Figure 1) with its 95 %
-- bootstrap intervals (weight_concentration_corr), next to the model's accuracy on the benchmark
-- (finding 4: higher visual concentration goes with better accuracy).
-- Reads marts only. One row per model × benchmark × query_kind.
with correlations as (
    select * from weight_concentration_corr
),

accuracy as (
    select * from model_accuracy
),

final as (
    select
        correlations.model,
        correlations.benchmark,
        correlations.query_kind,
        correlations.n_heads,
        correlations.n_samples,
        correlations.pearson,
        correlations.pearson_ci_low,
        correlations.pearson_ci_high,
        correlations.spearman,
        correlations.spearman_ci_low,
        correlations.spearman_ci_high,
        accuracy.n_scored,
        accuracy.accuracy
    from correlations
    left join accuracy
        on correlations.model = accuracy.model
        and correlations.benchmark = accuracy.benchmark
)

select * from final
order by model, benchmark, query_kind
