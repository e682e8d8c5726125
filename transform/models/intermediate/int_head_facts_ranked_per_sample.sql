-- int_head_facts_ranked_per_sample: every head of a sample ranked by image_fraction (1 = most attention
-- mass on image tokens; ties broken by layer, then head, so ranks are unique), and whether the head is
-- in the sample's top N, N = visual_head_top_n(heads in the model) (macro: greatest(1, round(0.05 × heads))).
-- Grain: one row per model × benchmark × query_kind × sample × layer × head.
with joined as (
    select * from int_head_facts_joined_to_models
),

ranked as (
    select
        *,
        row_number() over (
            partition by model, benchmark, query_kind, run_id, sample_id
            order by image_fraction desc nulls last, layer, head
        ) as sample_rank,
        visual_head_top_n(n_model_heads) as top_n
    from joined
),

final as (
    select
        *,
        sample_rank <= top_n as is_top_n
    from ranked
)

select * from final
