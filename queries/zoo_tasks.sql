-- zoo_tasks: per trained model, benchmark and task (the splits, categories and question types the benchmark's format
-- scores; for the zoo's benchmarks the task is the category), accuracy next to its untrained '-init' control's.
-- Reads marts only (zoo_scores).
with zoo_scores as (
    select * from zoo_scores
),

final as (
    select
        model,
        benchmark,
        subset_kind,
        subset as task,
        n_samples,
        accuracy,
        control_accuracy
    from zoo_scores
    where subset_kind <> 'all'
)

select * from final
order by model, benchmark, subset_kind, task
