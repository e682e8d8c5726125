-- late_stage_pruning: removing up to 100 late-stage heads (finding 7 of Bi et al.: it barely affects visual
-- understanding). One row per model × benchmark × mode × ranking score × k late heads removed (the k best late heads
-- by `score`; k = n_stage_heads removes the whole late stage): accuracy with its 95 % Wilson interval, the change from
-- the unablated model, the exact McNemar p against it (n_lost right → wrong, n_gained wrong → right), how many
-- predictions changed, and the mean of in-stage random draws of the same k where the sweep ran them.
-- Reads marts only (ablation_effects).
with ablation_effects as (
    select * from ablation_effects
),

late_heads as (
    select
        model,
        family,
        scale,
        benchmark,
        mode,
        score,
        k as late_heads_removed,
        n_stage_heads as n_late_heads,
        k_share,
        n,
        baseline_accuracy,
        accuracy,
        ci_low,
        ci_high,
        delta,
        n_lost,
        n_gained,
        mcnemar_p,
        n_changed,
        random_mean_accuracy
    from ablation_effects
    where strategy = 'stage' and stage = 'late'
)

select * from late_heads
order by model, benchmark, mode, score, late_heads_removed
