-- ablation_table: the paper-style head-ablation table (finding 6 of Bi et al.: removing the top visual heads hurts
-- more than removing as many random heads). One row per model × benchmark × mode × ranking score; one column per
-- strategy × k (heads removed, zero-padded: top_k002) holding the accuracy change from the unablated model (delta,
-- a fraction: -0.1 = ten points lost). top = the k best heads by `score`; random = the mean over the random draws
-- (all layers, excluding the top k; random_<stage> for in-stage draws); early / middle / late = the k best heads of
-- that stage. Columns exist for the k the sweeps ran, ordered top, random, early, middle, late, then by k.
-- Reads marts only (ablation_effects).
with ablation_effects as (
    select * from ablation_effects
),

cells as (
    select
        model,
        family,
        scale,
        benchmark,
        mode,
        score,
        baseline_accuracy,
        -- the digit orders the columns (pivot sorts them by name) and is stripped below
        case
            when strategy = 'top' then '1_top'
            when strategy = 'random' and stage is null then '2_random'
            when strategy = 'random' then '3_random_' || stage
            else array_position(['early', 'middle', 'late'], stage) + 3 || '_' || stage
        end || '_k' || printf('%03d', k) as cell,
        delta
    from ablation_effects
    where strategy in ('top', 'random', 'stage')
),

pivoted as (
    pivot cells
    on cell
    using avg(delta)
    group by model, family, scale, benchmark, mode, score, baseline_accuracy
)

select columns('^(?:[0-9]_)?(.*)$') as '\1'
from pivoted
order by model, benchmark, mode, score
