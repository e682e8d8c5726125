-- int_run_heads_filtered_to_latest: every head's statistics over the samples of the latest run (the rows of
-- int_attention_aggregated_to_run_head for the run int_benchmark_runs_filtered_to_latest keeps), with the model's shape
-- and description (family, scale, n_params; NULL for an undescribed model), its per-sample top_n, and the number of
-- samples in which the head is among the sample's top_n heads (int_heads_counted_in_sample_top_n; 0 when it never is).
-- The one place the per-head rows of the marts are selected: head_scores and head_activation_dynamics read it.
-- Grain: one row per model × benchmark × query_kind × layer × head.
with run_heads as (
    select * from int_attention_aggregated_to_run_head
),

latest_runs as (
    select * from int_benchmark_runs_filtered_to_latest
),

top_n_counts as (
    select * from int_heads_counted_in_sample_top_n
),

final as (
    select
        run_heads.*,

        ---------- model shape and description
        latest_runs.n_layers,
        latest_runs.n_heads,
        latest_runs.family,
        latest_runs.scale,
        latest_runs.n_params,
        latest_runs.top_n,

        ---------- detection
        coalesce(top_n_counts.n_samples_in_top_n, 0) as n_samples_in_top_n
    from run_heads
    inner join latest_runs
        on run_heads.model = latest_runs.model
        and run_heads.benchmark = latest_runs.benchmark
        and run_heads.query_kind = latest_runs.query_kind
        and run_heads.run_id = latest_runs.run_id
    left join top_n_counts
        on run_heads.model = top_n_counts.model
        and run_heads.benchmark = top_n_counts.benchmark
        and run_heads.query_kind = top_n_counts.query_kind
        and run_heads.layer = top_n_counts.layer
        and run_heads.head = top_n_counts.head
)

select * from final
