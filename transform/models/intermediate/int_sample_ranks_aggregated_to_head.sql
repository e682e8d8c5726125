-- int_sample_ranks_aggregated_to_head: per head, its rank within each sample of the latest run
-- (int_benchmark_runs_filtered_to_latest) by image_fraction (1 = most attention mass on the image; the order is
-- macro sample_rank_key: NULL last, ties by layer, then head, so ranks are unique), summarised over the samples:
-- mean and sample standard deviation of the rank, and the 10th, 50th and 90th percentiles of image_fraction
-- (quantile_cont: linear interpolation; NULLs skipped). Each sample's heads are sorted as one list, not by a
-- window over all facts. Built one model at a time (macro in_partition): a model's lists and percentile states fit
-- in memory.
-- materialized: table partitioned by model from int_benchmark_runs_filtered_to_latest
-- Grain: one row per model × benchmark × query_kind × layer × head.
with head_facts as (
    select * from stg_head_facts
    where in_partition(model)
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

sample_orders as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        list_sort(list(sample_rank_key(image_fraction, layer, head)), 'DESC') as ordered_heads
    from head_facts
    group by model, benchmark, query_kind, run_id, sample_id
),

ranked as (
    select
        sample_orders.model,
        sample_orders.benchmark,
        sample_orders.query_kind,
        unnest(sample_orders.ordered_heads) as ranked_head,
        generate_subscripts(sample_orders.ordered_heads, 1) as sample_rank
    from sample_orders
    inner join latest_runs
        on sample_orders.model = latest_runs.model
        and sample_orders.benchmark = latest_runs.benchmark
        and sample_orders.query_kind = latest_runs.query_kind
        and sample_orders.run_id = latest_runs.run_id
),

with_fractions as (
    select
        *,
        case when ranked_head.has_fraction then ranked_head.fraction end as image_fraction
    from ranked
),

per_head as (
    select
        model,
        benchmark,
        query_kind,
        sample_rank_layer(ranked_head) as layer,
        sample_rank_head(ranked_head) as head,
        avg(sample_rank) as mean_sample_rank,
        stddev_samp(sample_rank) as std_sample_rank,
        quantile_cont(image_fraction, [0.1, 0.5, 0.9]) as image_fraction_percentiles
    from with_fractions
    group by model, benchmark, query_kind, sample_rank_layer(ranked_head), sample_rank_head(ranked_head)
),

final as (
    select
        model,
        benchmark,
        query_kind,
        layer,
        head,
        mean_sample_rank,
        std_sample_rank,
        image_fraction_percentiles[1] as p10_image_fraction,
        image_fraction_percentiles[2] as median_image_fraction,
        image_fraction_percentiles[3] as p90_image_fraction
    from per_head
)

select * from final
