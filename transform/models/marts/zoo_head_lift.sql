-- zoo_head_lift: how much the heads of every trained model look at the image, next to its untrained control's
-- (int_models_paired_with_untrained_controls): over the model's heads, the max, 95th percentile and median
-- (quantile_cont: linear interpolation) of head_scores.mean_image_lift, a head's image-attention lift over even
-- attention (1 = even) averaged over the samples of the latest run. control_* are NULL when the control was not
-- ingested on that benchmark with that query kind.
-- Grain: one row per trained model × benchmark × query_kind.
with pairs as (
    select * from int_models_paired_with_untrained_controls
),

head_scores as (
    select * from head_scores
),

per_model as (
    select
        head_scores.model,
        head_scores.benchmark,
        head_scores.query_kind,
        count(*) as n_heads,
        max(head_scores.mean_image_lift) as lift_max,
        quantile_cont(head_scores.mean_image_lift, 0.95) as lift_p95,
        quantile_cont(head_scores.mean_image_lift, 0.5) as lift_median
    from head_scores
    inner join pairs on head_scores.model = pairs.model
    group by head_scores.model, head_scores.benchmark, head_scores.query_kind
),

final as (
    select
        pairs.model,
        pairs.control_model,
        trained.benchmark,
        trained.query_kind,
        trained.n_heads,
        trained.lift_max,
        trained.lift_p95,
        trained.lift_median,
        control.lift_max as control_lift_max,
        control.lift_p95 as control_lift_p95,
        control.lift_median as control_lift_median
    from pairs
    inner join per_model as trained on pairs.model = trained.model
    left join per_model as control
        on pairs.control_model = control.model
        and trained.benchmark = control.benchmark
        and trained.query_kind = control.query_kind
    where pairs.role = 'trained'
)

select * from final
