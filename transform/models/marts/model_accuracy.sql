-- model_accuracy: benchmark accuracy of each model over the samples of its latest runs
-- (int_benchmark_runs_filtered_to_latest). A sample captured with both query kinds was decoded twice
-- with the same greedy decoding; it counts once (the answer_step2 row, the authors' query kind).
-- n_samples counts every sample, n_scored those with a non-NULL correct; accuracy = n_correct / n_scored.
-- Grain: one row per model × benchmark.
with samples as (
    select * from stg_samples
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

samples_of_latest_runs as (
    select samples.*
    from samples
    inner join latest_runs
        on samples.model = latest_runs.model
        and samples.benchmark = latest_runs.benchmark
        and samples.query_kind = latest_runs.query_kind
        and samples.run_id = latest_runs.run_id
),

one_row_per_sample as (
    select *
    from samples_of_latest_runs
    qualify row_number() over (
        partition by model, benchmark, sample_id
        order by query_kind, run_id
    ) = 1
),

final as (
    select
        model,
        benchmark,
        count(*) as n_samples,
        count(correct) as n_scored,
        cast(count_if(correct) as bigint) as n_correct,
        count_if(correct) / nullif(count(correct), 0) as accuracy
    from one_row_per_sample
    group by model, benchmark
)

select * from final
