-- stage_distribution: in which stage a model's top visual heads sit (finding 2 of Bi et al.), pooled
-- over the model's benchmarks. Top heads: head_scores.is_top_head (rank <= top_n, 5 % of the model's
-- heads) per benchmark, counted by the stage_distribution mart; stage_head_share is the stage's share of
-- all the model's heads (what an even spread would give); enrichment = top_head_share / stage_head_share.
-- Reads marts only. One row per model × query_kind × stage.
with cells as (
    select * from stage_distribution
),

stages_per_benchmark as (
    select distinct model, benchmark, query_kind, stage, n_stage_top_heads, stage_head_share
    from cells
),

pooled as (
    select
        model,
        query_kind,
        stage,
        count(distinct benchmark) as n_benchmarks,
        sum(n_stage_top_heads) as n_top_heads,
        any_value(stage_head_share) as stage_head_share
    from stages_per_benchmark
    group by model, query_kind, stage
),

final as (
    select
        model,
        query_kind,
        stage,
        n_benchmarks,
        n_top_heads,
        n_top_heads / sum(n_top_heads) over (partition by model, query_kind) as top_head_share,
        stage_head_share,
        (n_top_heads / sum(n_top_heads) over (partition by model, query_kind)) / stage_head_share as enrichment
    from pooled
)

select * from final
order by model, query_kind, array_position(['early', 'middle', 'late'], stage)
