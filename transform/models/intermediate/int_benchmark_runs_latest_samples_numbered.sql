-- int_benchmark_runs_latest_samples_numbered: the samples of every latest run (int_benchmark_runs_filtered_to_latest;
-- their rows in samples, which ingest writes with the sample's head facts, in the same chunk), numbered for the kernel
-- of int_facts_of_latest_runs_reduced_per_head: run_index 0-based and dense within the model (benchmark, query_kind,
-- run_id order), sample_index 0-based and dense within the run (sample_id order), and sample_key (macros/sample_key.sql),
-- which the kernel's facts join on; two samples with one key (a hash collision) fail the build. A sample listed twice
-- counts once.
-- One statement for every model (a per-model build would reread the samples files once per model).
-- Grain: one row per model × benchmark × query_kind × run × sample.
with latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

run_samples as (
    select distinct
        samples.model,
        samples.benchmark,
        samples.query_kind,
        samples.run_id,
        samples.sample_id
    from stg_samples as samples
    semi join latest_runs
        on samples.model = latest_runs.model
        and samples.benchmark = latest_runs.benchmark
        and samples.query_kind = latest_runs.query_kind
        and samples.run_id = latest_runs.run_id
    where in_partition(samples.model)
),

keyed as (
    select
        *,
        sample_key(model, benchmark, query_kind, run_id, sample_id) as sample_key
    from run_samples
),

final as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        sample_id,
        cast(dense_rank() over (partition by model order by benchmark, query_kind, run_id) - 1 as integer) as run_index,
        cast(row_number() over (partition by model, benchmark, query_kind, run_id order by sample_id) - 1 as integer)
            as sample_index,
        case when count(*) over (partition by model, sample_key) = 1 then sample_key
            else error('sample_key collision in model ' || model || ': two samples share the key ' || sample_key)
        end as sample_key
    from keyed
)

select * from final
