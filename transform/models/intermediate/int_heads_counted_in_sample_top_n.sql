-- int_heads_counted_in_sample_top_n: in how many samples of the latest run (the facts of
-- int_head_facts_joined_to_models) each head is among the sample's top_n heads by image_fraction (top_n =
-- visual_head_top_n(heads in the model)): facts whose image_rank (the head's rank in its sample, 1 = most image mass;
-- stored by ingest, see schema.sql) is at most top_n, counted per head. The count behind head_scores.detection_score.
-- Heads never in a sample's top_n have no row.
-- Grain: one row per model × benchmark × query_kind × layer × head (heads in at least one sample's top_n).
with latest_facts as (
    select * from int_head_facts_joined_to_models
),

final as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        count(*) as n_samples_in_top_n
    from latest_facts
    where image_rank <= top_n
    group by model, benchmark, query_kind, layer, head
)

select * from final
