-- model_correlations: across the heads of a model, how per-head attention weight on the image
-- (mean_image_fraction) goes with its concentration (mean_image_concentration), Figure 1 of Bi et al.
--   pearson   Pearson correlation of the two head means
--   spearman  Pearson correlation of their average ranks (tied values share the mean of their ranks)
-- Heads with a NULL mean are left out (n_heads counts the heads used). Also the averages over heads.
-- Grain: one row per model × benchmark × query_kind.
with head_scores as (
    select * from head_scores
    where mean_image_fraction is not null and mean_image_concentration is not null
),

-- average ranks (macro average_rank: tied values share the mean of their ranks)
ranked as (
    select
        model,
        benchmark,
        query_kind,
        mean_image_fraction,
        mean_image_concentration,
        mean_image_lift,
        average_rank(mean_image_fraction, (model, benchmark, query_kind)) as fraction_rank,
        average_rank(mean_image_concentration, (model, benchmark, query_kind)) as concentration_rank
    from head_scores
),

final as (
    select
        model,
        benchmark,
        query_kind,
        count(*) as n_heads,
        corr(mean_image_fraction, mean_image_concentration) as pearson,
        corr(fraction_rank, concentration_rank) as spearman,
        avg(mean_image_fraction) as mean_image_fraction,
        avg(mean_image_concentration) as mean_image_concentration,
        avg(mean_image_lift) as mean_image_lift
    from ranked
    group by model, benchmark, query_kind
)

select * from final
