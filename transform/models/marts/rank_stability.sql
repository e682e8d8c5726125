-- rank_stability: are the visual heads the same heads, and at the same depth, when the data or the model
-- changes? Pairs of head_scores sets of one query kind, two kinds of comparison:
--   across_benchmarks  one model, two benchmarks (benchmark_a < benchmark_b):
--                      head_score_spearman  Spearman (macro average_rank) of mean_image_fraction over the
--                                           heads both sets hold (n_common_heads)
--                      top_k_jaccard        Jaccard (macro jaccard_index) of the two top-head sets
--   across_scales      one family, one benchmark, two models of different scale (model_a the smaller by
--                      n_params, NULL as 0, then by name); heads do not correspond, so only where they sit:
-- for both kinds, per side the top heads (head_scores.is_top_head, k_a and k_b of them), their mean relative
-- depth (layer / n_layers), relative_depth_shift = b - a, and decile_profile_overlap = sum over relative-depth
-- deciles of min(share of a's top heads, share of b's) (histogram intersection: 1 = same spread, 0 = disjoint).
-- Grain: one row per comparison × query_kind × (model_a, benchmark_a) × (model_b, benchmark_b).
with head_scores as (
    select * from head_scores
),

sides as (
    select
        model,
        benchmark,
        query_kind,
        any_value(family) as family,
        any_value(scale) as scale,
        any_value(n_params) as n_params,
        count(*) as n_heads,
        cast(count_if(is_top_head) as bigint) as k,
        avg(relative_depth) filter (where is_top_head) as mean_top_relative_depth
    from head_scores
    group by model, benchmark, query_kind
),

decile_shares as (
    select
        model,
        benchmark,
        query_kind,
        depth_decile,
        count_if(is_top_head) / nullif(sum(count_if(is_top_head)) over (partition by model, benchmark, query_kind), 0)
            as top_head_share
    from head_scores
    group by model, benchmark, query_kind, depth_decile
),

pairs as (
    select
        'across_benchmarks' as comparison,
        a.family,
        a.query_kind,
        a.model as model_a,
        a.benchmark as benchmark_a,
        b.model as model_b,
        b.benchmark as benchmark_b
    from sides as a
    inner join sides as b
        on a.model = b.model
        and a.query_kind = b.query_kind
        and a.benchmark < b.benchmark
    union all
    select
        'across_scales' as comparison,
        a.family,
        a.query_kind,
        a.model as model_a,
        a.benchmark as benchmark_a,
        b.model as model_b,
        b.benchmark as benchmark_b
    from sides as a
    inner join sides as b
        on a.family = b.family
        and a.benchmark = b.benchmark
        and a.query_kind = b.query_kind
        and a.scale is distinct from b.scale
        and (coalesce(a.n_params, 0) < coalesce(b.n_params, 0)
            or (coalesce(a.n_params, 0) = coalesce(b.n_params, 0) and a.model < b.model))
),

-- heads both sides of an across_benchmarks pair hold, ranked within the pair
common_heads as (
    select
        pairs.comparison,
        pairs.query_kind,
        pairs.model_a,
        pairs.benchmark_a,
        pairs.model_b,
        pairs.benchmark_b,
        a.is_top_head as top_a,
        b.is_top_head as top_b,
        average_rank(a.mean_image_fraction,
            (pairs.query_kind, pairs.model_a, pairs.benchmark_a, pairs.benchmark_b)) as rank_a,
        average_rank(b.mean_image_fraction,
            (pairs.query_kind, pairs.model_a, pairs.benchmark_a, pairs.benchmark_b)) as rank_b
    from pairs
    inner join head_scores as a
        on pairs.model_a = a.model and pairs.benchmark_a = a.benchmark and pairs.query_kind = a.query_kind
    inner join head_scores as b
        on pairs.model_b = b.model and pairs.benchmark_b = b.benchmark and pairs.query_kind = b.query_kind
        and a.layer = b.layer and a.head = b.head
    where pairs.comparison = 'across_benchmarks'
        and a.mean_image_fraction is not null and b.mean_image_fraction is not null
),

head_agreement as (
    select
        query_kind,
        model_a,
        benchmark_a,
        benchmark_b,
        count(*) as n_common_heads,
        corr(rank_a, rank_b) as head_score_spearman,
        jaccard_index(count_if(top_a and top_b), count_if(top_a), count_if(top_b)) as top_k_jaccard
    from common_heads
    group by query_kind, model_a, benchmark_a, benchmark_b
),

profile_overlap as (
    select
        pairs.comparison,
        pairs.query_kind,
        pairs.model_a,
        pairs.benchmark_a,
        pairs.model_b,
        pairs.benchmark_b,
        sum(least(a.top_head_share, b.top_head_share)) as decile_profile_overlap
    from pairs
    inner join decile_shares as a
        on pairs.model_a = a.model and pairs.benchmark_a = a.benchmark and pairs.query_kind = a.query_kind
    inner join decile_shares as b
        on pairs.model_b = b.model and pairs.benchmark_b = b.benchmark and pairs.query_kind = b.query_kind
        and a.depth_decile = b.depth_decile
    group by pairs.comparison, pairs.query_kind, pairs.model_a, pairs.benchmark_a, pairs.model_b, pairs.benchmark_b
),

final as (
    select
        pairs.comparison,
        pairs.family,
        pairs.query_kind,
        pairs.model_a,
        pairs.benchmark_a,
        pairs.model_b,
        pairs.benchmark_b,
        a.scale as scale_a,
        b.scale as scale_b,
        a.n_heads as n_heads_a,
        b.n_heads as n_heads_b,

        ---------- same heads? (across_benchmarks only)
        head_agreement.n_common_heads,
        head_agreement.head_score_spearman,
        head_agreement.top_k_jaccard,

        ---------- same depth?
        a.k as k_a,
        b.k as k_b,
        a.mean_top_relative_depth as mean_top_relative_depth_a,
        b.mean_top_relative_depth as mean_top_relative_depth_b,
        b.mean_top_relative_depth - a.mean_top_relative_depth as relative_depth_shift,
        coalesce(profile_overlap.decile_profile_overlap, 0) as decile_profile_overlap
    from pairs
    inner join sides as a
        on pairs.model_a = a.model and pairs.benchmark_a = a.benchmark and pairs.query_kind = a.query_kind
    inner join sides as b
        on pairs.model_b = b.model and pairs.benchmark_b = b.benchmark and pairs.query_kind = b.query_kind
    left join head_agreement
        on pairs.comparison = 'across_benchmarks'
        and pairs.query_kind = head_agreement.query_kind
        and pairs.model_a = head_agreement.model_a
        and pairs.benchmark_a = head_agreement.benchmark_a
        and pairs.benchmark_b = head_agreement.benchmark_b
    left join profile_overlap
        on pairs.comparison = profile_overlap.comparison
        and pairs.query_kind = profile_overlap.query_kind
        and pairs.model_a = profile_overlap.model_a
        and pairs.benchmark_a = profile_overlap.benchmark_a
        and pairs.model_b = profile_overlap.model_b
        and pairs.benchmark_b = profile_overlap.benchmark_b
)

select * from final
