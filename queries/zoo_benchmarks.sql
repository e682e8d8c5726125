-- zoo_benchmarks: per trained model and benchmark, its accuracy (subset 'all') and how much its heads look at the image
-- (over its heads: max, 95th percentile and median of the mean image lift, answer_step2 query; 1 = even attention),
-- each next to the same number of its untrained '-init' control.
-- Reads marts only (zoo_scores, zoo_head_lift).
with zoo_scores as (
    select * from zoo_scores
),

zoo_head_lift as (
    select * from zoo_head_lift
),

final as (
    select
        zoo_scores.model,
        zoo_scores.benchmark,
        zoo_scores.n_samples,
        zoo_scores.accuracy,
        zoo_scores.control_accuracy,
        zoo_head_lift.lift_max,
        zoo_head_lift.control_lift_max,
        zoo_head_lift.lift_p95,
        zoo_head_lift.control_lift_p95,
        zoo_head_lift.lift_median,
        zoo_head_lift.control_lift_median
    from zoo_scores
    left join zoo_head_lift
        on zoo_scores.model = zoo_head_lift.model
        and zoo_scores.benchmark = zoo_head_lift.benchmark
        and zoo_head_lift.query_kind = 'answer_step2'
    where zoo_scores.subset_kind = 'all'
)

select * from final
order by model, benchmark
