-- int_attention_aggregated_to_run_head: every head's attention statistics over the samples of each run that wrote
-- head facts (all runs; the marts keep the latest one, int_benchmark_runs_filtered_to_latest): sample counts, means and
-- sample standard deviations (NULL for one sample) of image_fraction, image_concentration, the image lift and the head's
-- per-sample rank (image_rank: 1 = most image mass among the sample's heads, stored by ingest, see schema.sql), means of
-- the region and text fractions, concentrations and lifts (means skip NULLs: region_* are NULL for samples without a
-- box), the lifts over even attention (macro lift_over_even, per sample, then averaged) and the head's activity (macro
-- head_is_active: n_scored samples with an image lift, n_active of them above the threshold).
-- Built from per-part partial aggregates (macros/partial_aggregates.sql): the head summaries ingest wrote (stg_head_summaries,
-- for the parts in the DuckDB variable vhw_summarised_parts, which `vhw transform` sets from summarised_parts()) and,
-- for every other part, the same partials computed here from its facts. With every part summarised no fact is read.
-- The one pass that head_scores and head_activation_dynamics share: grouping by run first and keeping the latest run
-- afterwards costs one aggregate instead of a join per fact row.
-- Grain: one row per model × benchmark × query_kind × run × layer × head.
with summarised as (
    select stg_head_summaries.*
    from stg_head_summaries
    inner join summarised_parts() as covered
        on stg_head_summaries.model = covered.model
        and stg_head_summaries.benchmark = covered.benchmark
        and stg_head_summaries.part = covered.part
        and stg_head_summaries.summary_file = covered.summary_file
),

partials as (
    select * exclude (summary_file, part_rows) from summarised
    union all by name
    select * from head_partials(getvariable('vhw_summarised_parts'), false)
),

combined as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        layer,
        head,
        cast(sum(n_samples) as bigint) as n_samples,
        cast(sum(n_active) as bigint) as n_active,

        ---------- image tokens: counts, means
        cast(sum(n_image_fraction) as bigint) as n_image_fraction,
        sum(sum_image_fraction) / nullif(sum(n_image_fraction), 0) as mean_image_fraction,
        cast(sum(n_image_concentration) as bigint) as n_image_concentration,
        sum(sum_image_concentration) / nullif(sum(n_image_concentration), 0) as mean_image_concentration,
        cast(sum(n_image_lift) as bigint) as n_image_lift,
        sum(sum_image_lift) / nullif(sum(n_image_lift), 0) as mean_image_lift,
        cast(sum(n_image_rank) as bigint) as n_image_rank,
        sum(sum_image_rank) / nullif(sum(n_image_rank), 0) as mean_image_rank,

        ---------- region and text tokens: means
        sum(sum_region_fraction) / nullif(sum(n_region_fraction), 0) as mean_region_fraction,
        sum(sum_region_concentration) / nullif(sum(n_region_concentration), 0) as mean_region_concentration,
        sum(sum_region_lift) / nullif(sum(n_region_lift), 0) as mean_region_lift,
        sum(sum_text_fraction) / nullif(sum(n_text_fraction), 0) as mean_text_fraction,
        sum(sum_text_concentration) / nullif(sum(n_text_concentration), 0) as mean_text_concentration,
        sum(sum_text_lift) / nullif(sum(n_text_lift), 0) as mean_text_lift
    from partials
    group by model, benchmark, query_kind, run_id, layer, head
),

deviations as (
    select
        partials.model,
        partials.benchmark,
        partials.query_kind,
        partials.run_id,
        partials.layer,
        partials.head,
        sum(combine_m2(partials.m2_image_fraction, partials.n_image_fraction, partials.sum_image_fraction,
            combined.mean_image_fraction)) as m2_image_fraction,
        sum(combine_m2(partials.m2_image_concentration, partials.n_image_concentration, partials.sum_image_concentration,
            combined.mean_image_concentration)) as m2_image_concentration,
        sum(combine_m2(partials.m2_image_lift, partials.n_image_lift, partials.sum_image_lift,
            combined.mean_image_lift)) as m2_image_lift,
        sum(combine_m2(partials.m2_image_rank, partials.n_image_rank, partials.sum_image_rank,
            combined.mean_image_rank)) as m2_image_rank
    from partials
    inner join combined
        on partials.model = combined.model
        and partials.benchmark = combined.benchmark
        and partials.query_kind = combined.query_kind
        and partials.run_id = combined.run_id
        and partials.layer = combined.layer
        and partials.head = combined.head
    group by partials.model, partials.benchmark, partials.query_kind, partials.run_id, partials.layer, partials.head
),

final as (
    select
        combined.model,
        combined.benchmark,
        combined.query_kind,
        combined.run_id,
        combined.layer,
        combined.head,
        combined.n_samples,

        ---------- image tokens
        combined.mean_image_fraction,
        case when combined.n_image_fraction > 1
            then sqrt(greatest(deviations.m2_image_fraction, 0) / (combined.n_image_fraction - 1)) end as std_image_fraction,
        combined.mean_image_concentration,
        case when combined.n_image_concentration > 1
            then sqrt(greatest(deviations.m2_image_concentration, 0) / (combined.n_image_concentration - 1)) end
            as std_image_concentration,
        combined.mean_image_lift,
        case when combined.n_image_lift > 1
            then sqrt(greatest(deviations.m2_image_lift, 0) / (combined.n_image_lift - 1)) end as std_image_lift,
        combined.mean_image_rank,
        case when combined.n_image_rank > 1
            then sqrt(greatest(deviations.m2_image_rank, 0) / (combined.n_image_rank - 1)) end as std_image_rank,

        ---------- activity
        combined.n_image_lift as n_scored,
        combined.n_active,

        ---------- region tokens (samples with a box)
        combined.mean_region_fraction,
        combined.mean_region_concentration,
        combined.mean_region_lift,

        ---------- text tokens
        combined.mean_text_fraction,
        combined.mean_text_concentration,
        combined.mean_text_lift
    from combined
    inner join deviations
        on combined.model = deviations.model
        and combined.benchmark = deviations.benchmark
        and combined.query_kind = deviations.query_kind
        and combined.run_id = deviations.run_id
        and combined.layer = deviations.layer
        and combined.head = deviations.head
)

select * from final
