-- model_concentration_vs_accuracy: finding 4 of Bi et al., higher visual concentration goes with better
-- benchmark performance. Per model and benchmark, the mean concentration (and weight, lift) of its top
-- visual heads (head_scores.is_top_head: rank <= top_n, k = n_top_heads) next to its accuracy
-- (model_accuracy), and across the models that answered the benchmark with the same query kind:
--   across_model_pearson    Pearson correlation of top_heads_mean_image_concentration and accuracy
--   across_model_spearman   the same on average ranks (macro average_rank)
-- (repeated on each model's row; over the n_models models with both values, NULL below 3 models).
-- Grain: one row per model × benchmark × query_kind.
with head_scores as (
    select * from head_scores
),

accuracy as (
    select * from model_accuracy
),

per_model as (
    select
        model,
        benchmark,
        query_kind,
        count(*) as n_heads,
        cast(count_if(is_top_head) as bigint) as n_top_heads,
        avg(mean_image_concentration) filter (where is_top_head) as top_heads_mean_image_concentration,
        avg(mean_image_fraction) filter (where is_top_head) as top_heads_mean_image_fraction,
        avg(mean_image_lift) filter (where is_top_head) as top_heads_mean_image_lift,
        avg(mean_image_concentration) as all_heads_mean_image_concentration
    from head_scores
    group by model, benchmark, query_kind
),

joined as (
    select
        per_model.*,
        accuracy.n_scored,
        accuracy.accuracy
    from per_model
    left join accuracy
        on per_model.model = accuracy.model
        and per_model.benchmark = accuracy.benchmark
),

comparable as (
    select
        benchmark,
        query_kind,
        top_heads_mean_image_concentration,
        accuracy,
        average_rank(top_heads_mean_image_concentration, (benchmark, query_kind)) as concentration_rank,
        average_rank(accuracy, (benchmark, query_kind)) as accuracy_rank
    from joined
    where top_heads_mean_image_concentration is not null and accuracy is not null
),

across_models as (
    select
        benchmark,
        query_kind,
        count(*) as n_models,
        case when count(*) >= 3 then corr(top_heads_mean_image_concentration, accuracy) end as across_model_pearson,
        case when count(*) >= 3 then corr(concentration_rank, accuracy_rank) end as across_model_spearman
    from comparable
    group by benchmark, query_kind
),

final as (
    select
        joined.*,
        coalesce(across_models.n_models, 0) as n_models,
        across_models.across_model_pearson,
        across_models.across_model_spearman
    from joined
    left join across_models
        on joined.benchmark = across_models.benchmark
        and joined.query_kind = across_models.query_kind
)

select * from final
