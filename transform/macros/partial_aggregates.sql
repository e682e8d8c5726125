-- Head partials: the per-head statistics of int_attention_aggregated_to_run_head, split so that they can be computed
-- per fact part and combined later (the head summaries, schema.sql). Per part and head: n_samples = facts; for each
-- metric x, n_<x> = non-NULL values, sum_<x> = their sum, and for the four metrics with a standard deviation m2_<x> =
-- the sum of squared deviations from the part's mean (var_pop × n). Parts combine exactly: means are Σ sum ÷ Σ n, and
-- (Chan et al. 1979) M2 = Σ m2_i + Σ n_i (mean_i − mean)², stddev_samp = sqrt(M2 ÷ (n − 1)) (combine_m2, below).
-- Lifts use lift_over_even, activity head_is_active (their definitions: lift_over_even.sql, head_activity.sql; this file
-- sorts after both, as DuckDB binds a table macro's body when it is created).

-- part_key(model, benchmark, part): one fact part's name in the warehouse, 'model=<m>/benchmark=<b>/<part>'.
create or replace macro part_key(model, benchmark, part) as
    'model=' || model || '/benchmark=' || benchmark || '/' || part;

-- head_partials(part_keys, inside): the partials of the fact parts whose part_key is in part_keys (inside = true) or of
-- every other part (inside = false). part_keys must be a constant list (a literal or getvariable): DuckDB then opens
-- only the files it selects; NULL is the empty list. Where `vhw transform` counted no part without a summary (the DuckDB
-- variable vhw_unsummarised_parts = 0), "every other part" is empty and the plan is an empty result: checking all 3 840
-- parts of a 250M-fact warehouse against the list took 3.3 s, the empty plan 1 s (binding head_facts); when the variable
-- is unset (the SQL run by hand) the parts are checked.
create or replace macro head_partials(part_keys, inside) as table
with facts as (
    select
        model,
        benchmark,
        part,
        cast(run_id as varchar) as run_id,
        cast(query_kind as varchar) as query_kind,
        cast(layer as smallint) as layer,
        cast(head as smallint) as head,
        cast(image_fraction as double) as image_fraction,
        cast(image_concentration as double) as image_concentration,
        cast(image_rank as double) as image_rank,
        cast(region_fraction as double) as region_fraction,
        cast(region_concentration as double) as region_concentration,
        cast(text_fraction as double) as text_fraction,
        cast(text_concentration as double) as text_concentration,
        lift_over_even(cast(image_fraction as double), n_image_tokens, n_keys) as image_lift,
        lift_over_even(cast(region_fraction as double), n_region_tokens, n_keys) as region_lift,
        lift_over_even(cast(text_fraction as double), n_text_tokens, n_keys) as text_lift
    from head_facts
    where list_contains(coalesce(part_keys, []), part_key(model, benchmark, part)) = inside
        and (inside or coalesce(getvariable('vhw_unsummarised_parts'), 1) > 0)
)
select
    model, benchmark, part, run_id, query_kind, layer, head,
    count(*) as n_samples,
    cast(count_if(head_is_active(image_lift)) as bigint) as n_active,
    count(image_fraction) as n_image_fraction, sum(image_fraction) as sum_image_fraction,
    var_pop(image_fraction) * count(image_fraction) as m2_image_fraction,
    count(image_concentration) as n_image_concentration, sum(image_concentration) as sum_image_concentration,
    var_pop(image_concentration) * count(image_concentration) as m2_image_concentration,
    count(image_lift) as n_image_lift, sum(image_lift) as sum_image_lift,
    var_pop(image_lift) * count(image_lift) as m2_image_lift,
    count(image_rank) as n_image_rank, sum(image_rank) as sum_image_rank,
    var_pop(image_rank) * count(image_rank) as m2_image_rank,
    count(region_fraction) as n_region_fraction, sum(region_fraction) as sum_region_fraction,
    count(region_concentration) as n_region_concentration, sum(region_concentration) as sum_region_concentration,
    count(region_lift) as n_region_lift, sum(region_lift) as sum_region_lift,
    count(text_fraction) as n_text_fraction, sum(text_fraction) as sum_text_fraction,
    count(text_concentration) as n_text_concentration, sum(text_concentration) as sum_text_concentration,
    count(text_lift) as n_text_lift, sum(text_lift) as sum_text_lift
from facts
group by model, benchmark, part, run_id, query_kind, layer, head;

-- fact_parts(): every head_facts part with its row count from its Parquet footer (no fact is read).
create or replace macro fact_parts() as table
select
    regexp_extract(file_name, 'model=([^/\\]+)[/\\]benchmark=[^/\\]+[/\\][^/\\]+$', 1) as model,
    regexp_extract(file_name, 'benchmark=([^/\\]+)[/\\][^/\\]+$', 1) as benchmark,
    parse_filename(file_name) as part,
    num_rows
from parquet_file_metadata('head_facts/*/*/*.parquet');

-- summarised_parts(): the fact parts a head summary covers exactly, with the summary file to read for each: the
-- summary's part_rows and the sum of its n_samples both equal the part's row count in its Parquet footer. A part
-- summarised by two files uses the first by name; a summary of a part that no longer exists, or holds other rows, is
-- not used (its part's facts are aggregated instead).
create or replace macro summarised_parts() as table
with parts as (
    select * from fact_parts()
),

summaries as (
    select model, benchmark, part, summary_file, min(part_rows) as part_rows, max(part_rows) as max_part_rows,
        sum(n_samples) as n_facts
    from head_summaries
    group by model, benchmark, part, summary_file
)

select
    part_key(summaries.model, summaries.benchmark, summaries.part) as part_key,
    summaries.model, summaries.benchmark, summaries.part,
    min(summaries.summary_file) as summary_file
from summaries
inner join parts
    on summaries.model = parts.model
    and summaries.benchmark = parts.benchmark
    and summaries.part = parts.part
where summaries.part_rows = parts.num_rows
    and summaries.max_part_rows = parts.num_rows
    and summaries.n_facts = parts.num_rows
group by all;

-- combine_m2(m2_i, n_i, sum_i, mean): one part's share of the combined sum of squared deviations, m2_i + n_i (mean_i −
-- mean)² with mean_i = sum_i ÷ n_i (0 for a part without values).
create or replace macro combine_m2(m2_i, n_i, sum_i, mean) as
    case when n_i > 0 then coalesce(m2_i, 0) + n_i * power(sum_i / n_i - mean, 2) else 0 end;
