-- int_heads_counted_in_sample_top_n: in how many samples of the latest run (int_benchmark_runs_filtered_to_latest)
-- each head is among the sample's top_n heads by image_fraction (top_n = visual_head_top_n(heads in the model)): facts
-- whose image_rank (the head's rank in its sample, 1 = most image mass; stored by ingest, see schema.sql) is at most
-- top_n, counted per head. The count behind head_scores.detection_score. Heads never in a sample's top_n have no row.
-- Grain: one row per model × benchmark × query_kind × layer × head (heads in at least one sample's top_n).
with head_facts as (
    select * from stg_head_facts
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

final as (
    select
        head_facts.model,
        head_facts.benchmark,
        head_facts.query_kind,
        head_facts.layer,
        head_facts.head,
        count(*) as n_samples_in_top_n
    from head_facts
    inner join latest_runs
        on head_facts.model = latest_runs.model
        and head_facts.benchmark = latest_runs.benchmark
        and head_facts.query_kind = latest_runs.query_kind
        and head_facts.run_id = latest_runs.run_id
    where head_facts.image_rank <= latest_runs.top_n
    group by head_facts.model, head_facts.benchmark, head_facts.query_kind, head_facts.layer, head_facts.head
)

select * from final
