-- stage_distribution: where a model's top visual heads sit (finding 2 of Bi et al.: mainly early and
-- middle layers). Top heads = head_scores.is_top_head (rank <= top_n, 5 % of the model's heads) of one
-- benchmark. Each row is a cell of stage (macro stage_of) × relative-depth decile (macro depth_decile)
-- that holds at least one head, with counts and shares of the benchmark's top heads:
--   top_head_share          cell's share of the top heads; head_share: its share of all heads
--   stage_top_head_share    the stage's share of the top heads (repeated on each cell of the stage),
--   stage_head_share        its share of all heads (what an even spread gives), stage_enrichment = ratio
--   decile_*                the same for the decile
-- Grain: one row per model × benchmark × query_kind × stage × depth_decile (cells holding heads).
with head_scores as (
    select * from head_scores
),

cells as (
    select
        model,
        benchmark,
        query_kind,
        stage,
        depth_decile,
        count(*) as n_heads,
        cast(count_if(is_top_head) as bigint) as n_top_heads
    from head_scores
    group by model, benchmark, query_kind, stage, depth_decile
),

totals as (
    select
        *,
        sum(n_heads) over (partition by model, benchmark, query_kind) as n_model_heads,
        sum(n_top_heads) over (partition by model, benchmark, query_kind) as n_model_top_heads,
        sum(n_heads) over (partition by model, benchmark, query_kind, stage) as n_stage_heads,
        sum(n_top_heads) over (partition by model, benchmark, query_kind, stage) as n_stage_top_heads,
        sum(n_heads) over (partition by model, benchmark, query_kind, depth_decile) as n_decile_heads,
        sum(n_top_heads) over (partition by model, benchmark, query_kind, depth_decile) as n_decile_top_heads
    from cells
),

final as (
    select
        model,
        benchmark,
        query_kind,
        stage,
        depth_decile,
        n_heads,
        n_top_heads,
        n_top_heads / nullif(n_model_top_heads, 0) as top_head_share,
        n_heads / n_model_heads as head_share,

        ---------- the stage of the cell
        cast(n_stage_top_heads as bigint) as n_stage_top_heads,
        n_stage_top_heads / nullif(n_model_top_heads, 0) as stage_top_head_share,
        n_stage_heads / n_model_heads as stage_head_share,
        (n_stage_top_heads / nullif(n_model_top_heads, 0)) / (n_stage_heads / n_model_heads) as stage_enrichment,

        ---------- the decile of the cell
        cast(n_decile_top_heads as bigint) as n_decile_top_heads,
        n_decile_top_heads / nullif(n_model_top_heads, 0) as decile_top_head_share,
        n_decile_heads / n_model_heads as decile_head_share,
        (n_decile_top_heads / nullif(n_model_top_heads, 0)) / (n_decile_heads / n_model_heads) as decile_enrichment
    from totals
)

select * from final
