-- int_attention_aggregated_to_run_head: every head's attention statistics over the samples of each run that wrote
-- head facts (all runs; the marts keep the latest one, int_benchmark_runs_filtered_to_latest): sample counts, means and
-- sample standard deviations (NULL for one sample) of image_fraction, image_concentration and the head's per-sample rank
-- (image_rank: 1 = most image mass among the sample's heads, stored by ingest, see schema.sql), means of the region and
-- text fractions and concentrations (means skip NULLs: region_* are NULL for samples without a box), the lifts over
-- even attention (macro lift_over_even, per sample, then averaged) and the head's activity (macro head_is_active:
-- n_scored samples with an image lift, n_active of them above the threshold). The one pass over the facts that
-- head_scores and head_activation_dynamics share: grouping by run first and keeping the latest run afterwards costs
-- one aggregate instead of a join per fact row.
-- Grain: one row per model × benchmark × query_kind × run × layer × head.
with head_facts as (
    select * from stg_head_facts
),

lifted as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        layer,
        head,
        image_fraction,
        image_concentration,
        image_rank,
        region_fraction,
        region_concentration,
        text_fraction,
        text_concentration,
        lift_over_even(image_fraction, n_image_tokens, n_keys) as image_lift,
        lift_over_even(region_fraction, n_region_tokens, n_keys) as region_lift,
        lift_over_even(text_fraction, n_text_tokens, n_keys) as text_lift
    from head_facts
),

final as (
    select
        model,
        benchmark,
        query_kind,
        run_id,
        layer,
        head,
        count(*) as n_samples,

        ---------- image tokens
        avg(image_fraction) as mean_image_fraction,
        stddev_samp(image_fraction) as std_image_fraction,
        avg(image_concentration) as mean_image_concentration,
        stddev_samp(image_concentration) as std_image_concentration,
        avg(image_lift) as mean_image_lift,
        stddev_samp(image_lift) as std_image_lift,
        avg(image_rank) as mean_image_rank,
        stddev_samp(image_rank) as std_image_rank,

        ---------- activity
        count(image_lift) as n_scored,
        cast(count_if(head_is_active(image_lift)) as bigint) as n_active,

        ---------- region tokens (samples with a box)
        avg(region_fraction) as mean_region_fraction,
        avg(region_concentration) as mean_region_concentration,
        avg(region_lift) as mean_region_lift,

        ---------- text tokens
        avg(text_fraction) as mean_text_fraction,
        avg(text_concentration) as mean_text_concentration,
        avg(text_lift) as mean_text_lift
    from lifted
    group by model, benchmark, query_kind, run_id, layer, head
)

select * from final
