-- weight_vs_concentration: per model × benchmark × query_kind, the head-level correlation between
-- attention weight on the image and its concentration (finding 3 of Bi et al., Figure 1), next to the
-- model's accuracy on the benchmark (finding 4: higher visual concentration goes with better accuracy).
-- Reads marts only. One row per model × benchmark × query_kind.
with correlations as (
    select * from model_correlations
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
        correlations.pearson,
        correlations.spearman,
        correlations.mean_image_fraction,
        correlations.mean_image_concentration,
        correlations.mean_image_lift,
        accuracy.n_scored,
        accuracy.accuracy
    from correlations
    left join accuracy
        on correlations.model = accuracy.model
        and correlations.benchmark = accuracy.benchmark
)

select * from final
order by model, benchmark, query_kind
