-- zoo_scores: benchmark accuracy of every trained model next to its untrained control's
-- (int_models_paired_with_untrained_controls), for the whole benchmark (subset_kind 'all') and for each split, category
-- and question type its format scores (a zoo benchmark's task is its category), from the benchmark_scores ingest wrote
-- for the latest run (int_benchmark_runs_filtered_to_latest; the answer_step2 run when both query kinds were ingested,
-- as in model_accuracy). n_samples: the samples (multiple choice: questions) the accuracy is over. control_* are NULL
-- when the control was not ingested on that benchmark.
-- Grain: one row per trained model × benchmark × subset_kind × subset.
with pairs as (
    select * from int_models_paired_with_untrained_controls
),

scores as (
    select * from stg_benchmark_scores
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

latest_accuracy as (
    select
        scores.model,
        scores.benchmark,
        scores.subset_kind,
        scores.subset,
        scores.n_samples,
        scores.value as accuracy
    from scores
    inner join latest_runs
        on scores.model = latest_runs.model
        and scores.benchmark = latest_runs.benchmark
        and scores.run_id = latest_runs.run_id
    where scores.metric = 'accuracy'
    qualify row_number() over (
        partition by scores.model, scores.benchmark, scores.subset_kind, scores.subset
        order by latest_runs.query_kind, scores.run_id
    ) = 1
),

final as (
    select
        pairs.model,
        pairs.control_model,
        trained.benchmark,
        trained.subset_kind,
        trained.subset,
        trained.n_samples,
        trained.accuracy,
        control.n_samples as control_n_samples,
        control.accuracy as control_accuracy
    from pairs
    inner join latest_accuracy as trained on pairs.model = trained.model
    left join latest_accuracy as control
        on pairs.control_model = control.model
        and trained.benchmark = control.benchmark
        and trained.subset_kind = control.subset_kind
        and trained.subset = control.subset
    where pairs.role = 'trained'
)

select * from final
