-- switching_visual_heads: do the top visual heads stay on for every question, or switch with it
-- (finding 5 of Bi et al.)? The top heads of each model × benchmark × query_kind (head_scores.is_top_head)
-- with how often they are active (head_activation_dynamics: image lift above 1) and how much they vary.
-- Reads marts only. One row per model × benchmark × query_kind × top head.
with head_scores as (
    select * from head_scores
),

dynamics as (
    select * from head_activation_dynamics
),

final as (
    select
        head_scores.model,
        head_scores.benchmark,
        head_scores.query_kind,
        head_scores.rank,
        head_scores.layer,
        head_scores.head,
        head_scores.stage,
        head_scores.mean_image_fraction,
        dynamics.activation_rate,
        dynamics.activation_entropy_bits,
        dynamics.top_n_rate,
        dynamics.cv_image_fraction,
        dynamics.std_sample_rank
    from head_scores
    inner join dynamics
        on head_scores.model = dynamics.model
        and head_scores.benchmark = dynamics.benchmark
        and head_scores.query_kind = dynamics.query_kind
        and head_scores.layer = dynamics.layer
        and head_scores.head = dynamics.head
    where head_scores.is_top_head
)

select * from final
order by model, benchmark, query_kind, rank
