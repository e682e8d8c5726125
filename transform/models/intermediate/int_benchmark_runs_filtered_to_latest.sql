-- int_benchmark_runs_filtered_to_latest: the one run whose head facts the marts use, per
-- model × benchmark × query_kind. Candidates are the runs that wrote head facts; the latest wins
-- (finished_at, then started_at, then run_id, all descending; a run without a runs row, e.g. an
-- interrupted ingest: ingest writes the runs row when the run completes, sorts last). Older runs stay in
-- the raw tables but never mix into one mean. status is NULL for a run without a runs row.
-- Grain: one row per model × benchmark × query_kind.
with head_facts as (
    select * from stg_head_facts
),

runs as (
    select * from stg_runs
),

candidate_runs as (
    select distinct model, benchmark, query_kind, run_id
    from head_facts
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

final as (
    select model, benchmark, query_kind, run_id, started_at, finished_at, status, n_candidate_runs
    from ranked_by_recency
    where recency_rank = 1
)

select * from final
