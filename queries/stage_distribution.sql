-- stage_distribution: in which stage a model's top visual heads sit (finding 2 of Bi et al.). The top
-- heads of a benchmark are those with rank <= top_n (5 % of the model's heads, the N of the detection
-- score); shares pool the benchmarks of the model. stage_head_share is the stage's share of all the
-- model's heads (what an even spread would give); enrichment = top_head_share / stage_head_share.
-- Reads marts only. One row per model × query_kind × stage.
with head_scores as (
    select * from head_scores
),

model_heads as (
    select distinct model, layer, head, stage
    from head_scores
),

stage_sizes as (
    select
        model,
        stage,
        count(*) as n_stage_heads,
        sum(count(*)) over (partition by model) as n_model_heads
    from model_heads
    group by model, stage
),

benchmarks as (
    select model, query_kind, count(distinct benchmark) as n_benchmarks
    from head_scores
    group by model, query_kind
),

top_heads as (
    select model, query_kind, stage, count(*) as n_top_heads
    from head_scores
    where rank <= top_n
    group by model, query_kind, stage
),

shares as (
    select
        benchmarks.model,
        benchmarks.query_kind,
        stage_sizes.stage,
        benchmarks.n_benchmarks,
        coalesce(top_heads.n_top_heads, 0) as n_top_heads,
        coalesce(top_heads.n_top_heads, 0)
            / sum(coalesce(top_heads.n_top_heads, 0)) over (partition by benchmarks.model, benchmarks.query_kind)
            as top_head_share,
        stage_sizes.n_stage_heads / stage_sizes.n_model_heads as stage_head_share
    from benchmarks
    inner join stage_sizes on benchmarks.model = stage_sizes.model
    left join top_heads
        on benchmarks.model = top_heads.model
        and benchmarks.query_kind = top_heads.query_kind
        and stage_sizes.stage = top_heads.stage
),

final as (
    select
        *,
        top_head_share / stage_head_share as enrichment
    from shares
)

select * from final
order by model, query_kind, array_position(['early', 'middle', 'late'], stage)
