-- top_visual_heads: the 10 heads with the highest mean attention mass on image tokens, per
-- model × benchmark × query_kind (head_scores.rank <= 10), with where they sit and how they attend.
-- Reads marts only. One row per model × benchmark × query_kind × rank.
with head_scores as (
    select * from head_scores
),

final as (
    select
        model,
        benchmark,
        query_kind,
        rank,
        layer,
        head,
        stage,
        relative_depth,
        mean_image_fraction,
        mean_image_lift,
        mean_image_concentration,
        detection_score,
        n_samples
    from head_scores
    where rank <= 10
)

select * from final
order by model, benchmark, query_kind, rank
