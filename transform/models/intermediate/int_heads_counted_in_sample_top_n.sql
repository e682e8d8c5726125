-- int_heads_counted_in_sample_top_n: in how many samples of the latest run (int_benchmark_runs_filtered_to_latest)
-- each head is among the sample's top_n heads by image_fraction (top_n = visual_head_top_n(heads in the model); the
-- order is macro sample_rank_key: more image_fraction first, NULL last, ties by layer, then head), the count behind
-- head_scores.detection_score. Per sample only the top heads are kept (max(key, n): the n largest keys, largest
-- first; n = the largest top_n of any model, sliced to the sample's own top_n), so no sample is sorted in full.
-- Heads never in a sample's top_n have no row.
-- Grain: one row per model × benchmark × query_kind × layer × head (heads in at least one sample's top_n).
with head_facts as (
    select * from stg_head_facts
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

sample_top_heads as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        sample_id,
        max(sample_rank_key(image_fraction, layer, head), (select max(top_n) from latest_runs)) as top_heads
    from head_facts
    group by model, benchmark, query_kind, run_id, sample_id
),

latest_top_heads as (
    select
        sample_top_heads.model,
        sample_top_heads.benchmark,
        sample_top_heads.query_kind,
        unnest(list_slice(sample_top_heads.top_heads, 1, latest_runs.top_n)) as top_head
    from sample_top_heads
    inner join latest_runs
        on sample_top_heads.model = latest_runs.model
        and sample_top_heads.benchmark = latest_runs.benchmark
        and sample_top_heads.query_kind = latest_runs.query_kind
        and sample_top_heads.run_id = latest_runs.run_id
),

final as (
    select
        model,
        benchmark,
        query_kind,
        sample_rank_layer(top_head) as layer,
        sample_rank_head(top_head) as head,
        count(*) as n_samples_in_top_n
    from latest_top_heads
    group by model, benchmark, query_kind, sample_rank_layer(top_head), sample_rank_head(top_head)
)

select * from final
