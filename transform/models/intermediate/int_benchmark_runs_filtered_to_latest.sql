-- int_benchmark_runs_filtered_to_latest: the one run whose head facts the marts use, per
-- model × benchmark × query_kind, with its model's shape. Candidates are the runs that wrote head facts
-- (int_attention_aggregated_to_run_head); the latest wins (finished_at, then started_at, then run_id, all descending;
-- a run without a runs row, e.g. an interrupted ingest: ingest writes the runs row when the run completes, sorts
-- last). Older runs stay in the raw tables but never mix into one mean. status is NULL for a run without a runs row.
-- Shape: n_layers, n_heads from the model description (stg_models), or, for a model without one, the shape its
-- latest runs' facts show (max layer + 1, max head + 1; model_shape_source says which); n_model_heads = layers × heads,
-- top_n = visual_head_top_n(n_model_heads) (the per-sample top N of the detection score); family, scale, n_params
-- NULL for an undescribed model. The one place the run choice and the shape are derived.
-- Grain: one row per model × benchmark × query_kind.
with run_heads as (
    select * from int_attention_aggregated_to_run_head
),

runs as (
    select * from stg_runs
),

models as (
    select * from stg_models
),

candidate_runs as (
    select model, benchmark, query_kind, run_id, max(layer) + 1 as observed_layers, max(head) + 1 as observed_heads
    from run_heads
    group by model, benchmark, query_kind, run_id
),

-- schema.sql promises one runs row per run × model × benchmark; max() keeps the join 1:1 regardless
run_times as (
    select
        model,
        benchmark,
        run_id,
        max(started_at) as started_at,
        max(finished_at) as finished_at,
        max(status) as status
    from runs
    group by model, benchmark, run_id
),

ranked_by_recency as (
    select
        candidate_runs.model,
        candidate_runs.benchmark,
        candidate_runs.query_kind,
        candidate_runs.run_id,
        candidate_runs.observed_layers,
        candidate_runs.observed_heads,
        run_times.started_at,
        run_times.finished_at,
        run_times.status,
        count(*) over (
            partition by candidate_runs.model, candidate_runs.benchmark, candidate_runs.query_kind
        ) as n_candidate_runs,
        row_number() over (
            partition by candidate_runs.model, candidate_runs.benchmark, candidate_runs.query_kind
            order by run_times.finished_at desc nulls last, run_times.started_at desc nulls last,
                candidate_runs.run_id desc
        ) as recency_rank
    from candidate_runs
    left join run_times
        on candidate_runs.model = run_times.model
        and candidate_runs.benchmark = run_times.benchmark
        and candidate_runs.run_id = run_times.run_id
),

latest_runs as (
    select *
    from ranked_by_recency
    where recency_rank = 1
),

-- schema.sql promises one row per model; max() keeps the join 1:1 should a stale description linger
described_shapes as (
    select
        model,
        max(n_layers) as n_layers,
        max(n_heads) as n_heads,
        max(family) as family,
        max(scale) as scale,
        max(n_params) as n_params
    from models
    group by model
),

-- a model without a description falls back to the shape its latest runs' facts show
observed_shapes as (
    select model, max(observed_layers) as n_layers, max(observed_heads) as n_heads
    from latest_runs
    group by model
),

model_shapes as (
    select
        observed_shapes.model,
        coalesce(described_shapes.n_layers, observed_shapes.n_layers) as n_layers,
        coalesce(described_shapes.n_heads, observed_shapes.n_heads) as n_heads,
        case when described_shapes.n_layers is null then 'observed' else 'models' end as model_shape_source,
        described_shapes.family,
        described_shapes.scale,
        described_shapes.n_params
    from observed_shapes
    left join described_shapes on observed_shapes.model = described_shapes.model
),

final as (
    select
        latest_runs.model,
        latest_runs.benchmark,
        latest_runs.query_kind,
        latest_runs.run_id,
        latest_runs.started_at,
        latest_runs.finished_at,
        latest_runs.status,
        latest_runs.n_candidate_runs,

        ---------- model shape
        model_shapes.n_layers,
        model_shapes.n_heads,
        model_shapes.n_layers * model_shapes.n_heads as n_model_heads,
        visual_head_top_n(model_shapes.n_layers * model_shapes.n_heads) as top_n,
        model_shapes.model_shape_source,
        model_shapes.family,
        model_shapes.scale,
        model_shapes.n_params
    from latest_runs
    inner join model_shapes on latest_runs.model = model_shapes.model
)

select * from final
