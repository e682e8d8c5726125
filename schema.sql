-- VisionHeadsWarehouse: the canonical contract between ingest (Parquet writers) and everything that
-- reads the warehouse. One view per raw table over hive-partitioned Parquet globs.
--
-- Paths are relative to the warehouse root folder; `vhw transform` runs this file with
-- `SET file_search_path = '<warehouse root>'`. Analysts: `cd warehouse && duckdb warehouse.duckdb`
-- (or SET file_search_path yourself), so a shared warehouse folder works wherever it is copied.
--
-- Metric definitions (one C# definition: ingest/Vhw.Ingest/Capture/HeadStats.cs, Bi et al. 2025 §3):
--   A        = softmax attention row of the captured query over all n_keys keys (sums to 1)
--   S        = token set: image tokens, region tokens (image tokens under the sample's box), text tokens
--              (every key that is not an image token, including the captured query itself)
--   <S>_fraction      a_S = sum_{j in S} A_j                       (attention mass on S)
--   <S>_entropy       H   = -sum_{j in S} p_j ln p_j, p_j = A_j / a_S   (nats; NULL when a_S = 0)
--   <S>_concentration 1 - H / ln|S|   (1 = all on one token, 0 = uniform; 1 when |S| = 1)
--   <S>_top1_share    max_{j in S} p_j
--   lift over even attention = <S>_fraction / (n_<S>_tokens / n_keys)   (derived, see transform/)
-- query_kind: 'answer_step2' = first generated answer token fed back at decoding step 2 (the authors'
-- choice; keys = prompt + itself), 'last_prompt' = last prompt position (keys = prompt).

-- One row per run × model × benchmark × sample × query_kind × layer × head.
-- Four columns are derived here, not stored (they are exact functions of stored columns; definitions:
-- ingest/Vhw.Ingest/Capture/HeadStats.cs): text_fraction = 1 - image_fraction (text = every key that is not an
-- image token, and A sums to 1) and <S>_entropy = (1 - <S>_concentration) * ln(n_<S>_tokens) (the concentration's
-- definition solved for H; 0 when |S| = 1, NULL when the concentration is). Parts written before they were dropped
-- still hold them, and their stored values are used (head_facts_parts() gives every part the four columns).
-- image_rank: the head's rank among all layer × head of its sample and query_kind by image_fraction (1 = most; ties:
-- lower layer, then lower head; ingest/Vhw.Ingest/Capture/HeadRanks.cs, the one definition). Ingest stores it; for
-- parts written before it did (image_rank NULL or absent) the same order is computed here, over those rows only,
-- per part file (ingest writes all of a sample's facts into one part; with the file as a window key, a filter on part
-- reaches the list of files to open, which the head summaries' fallback relies on, transform/macros/partial_aggregates.sql).
-- head_facts_parts(): the Parquet parts as written, every column a part may hold (the empty row gives each part the
-- derived and later-added columns, NULL where it lacks them). A table macro, not a CTE: head_facts reads it twice,
-- and DuckDB materialises a CTE read twice (the whole fact table, in memory). It reads every model's parts, or only
-- those under model=<m> while the DuckDB variable vhw_model_scope holds a model name m: `vhw transform` sets it while
-- it builds one model's slice of a model-partitioned table, so each statement opens that model's files only
-- (union_by_name reads every listed file's footer when a statement binds head_facts: 0.5 s at 250M facts in 3 840
-- parts). Analysts leave it unset. A value that is not a partition name (ingest allows [A-Za-z0-9._-]) reads every part.
create or replace macro head_facts_parts() as table
    select * from read_parquet('head_facts/'
            || case when regexp_full_match(coalesce(getvariable('vhw_model_scope'), ''), '[A-Za-z0-9._-]+')
                then 'model=' || getvariable('vhw_model_scope') else '*' end
            || '/*/*.parquet', hive_partitioning = true,
        hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true, filename = true)
    union all by name
    select cast(null as float) as image_entropy, cast(null as float) as region_entropy,
        cast(null as float) as text_fraction, cast(null as float) as text_entropy, cast(null as smallint) as image_rank
    where false;

create or replace view head_facts as
with ranked as (
    select * from head_facts_parts() where image_rank is not null
    union all by name
    select * replace (cast(row_number() over (
            partition by filename, model, benchmark, run_id, sample_id, query_kind
            order by image_fraction desc nulls last, layer, head) as smallint) as image_rank)
    from head_facts_parts()
    where image_rank is null
)
select
    run_id, sample_id, query_kind, layer, head, n_keys, n_image_tokens, n_region_tokens, n_text_tokens,
    image_fraction,
    coalesce(image_entropy, cast((1 - cast(image_concentration as double)) * ln(nullif(n_image_tokens, 0)) as float)) as image_entropy,
    image_concentration, image_top1_share, image_rank,
    region_fraction,
    coalesce(region_entropy, cast((1 - cast(region_concentration as double)) * ln(nullif(n_region_tokens, 0)) as float)) as region_entropy,
    region_concentration, region_top1_share,
    coalesce(text_fraction, cast(1 - cast(image_fraction as double) as float)) as text_fraction,
    coalesce(text_entropy, cast((1 - cast(text_concentration as double)) * ln(nullif(n_text_tokens, 0)) as float)) as text_entropy,
    text_concentration, text_top1_share,
    parse_filename(filename) as part,
    model, benchmark
from ranked;
-- Columns of the view (besides the partition columns model, benchmark):
--   run_id varchar, sample_id varchar, query_kind varchar, layer smallint, head smallint,
--   n_keys integer, n_image_tokens integer, n_region_tokens integer, n_text_tokens integer,
--   image_fraction float, image_entropy float, image_concentration float, image_top1_share float, image_rank smallint,
--   region_fraction float, region_entropy float, region_concentration float, region_top1_share float,
--   text_fraction float, text_entropy float, text_concentration float, text_top1_share float,
--   part varchar (the name of the Parquet part the row is stored in, e.g. part-<run>-00003.parquet; with model and
--   benchmark it names the file: head_facts/model=<model>/benchmark=<benchmark>/<part>)
--   (region_* are NULL when the sample has no box). Written by ingest: all but image_entropy, region_entropy,
--   text_fraction and text_entropy (parts from before may hold those four too).

-- Head summaries: per fact part, the partial aggregates of every head that the transform's per-head statistics are
-- built from (count, sum and sum of squared deviations per metric; transform/macros/partial_aggregates.sql, the one
-- definition), written next to the facts so that `vhw transform` need not aggregate every fact again: `vhw ingest` and
-- `vhw synth` write them when they finish, `vhw summarise` for a warehouse without them. Optional and derived: the
-- transform uses a part's summary only when it covers exactly that part's rows (part_rows and the n_samples sum match
-- the part's Parquet row count) and aggregates the facts of every other part itself, so a missing, stale or duplicated
-- summary costs time, never a wrong number. summary_file is the summary's own file (two summaries of one part: the
-- first by name is used).
-- One row per summary file × part × query_kind × layer × head.
create or replace view head_summaries as
select * exclude (filename), parse_filename(filename) as summary_file
from read_parquet('head_summaries/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, filename = true);
--   part varchar (a head_facts part of the same model and benchmark), part_rows bigint (its row count when summarised),
--   run_id varchar, query_kind varchar, layer smallint, head smallint, n_samples bigint, n_active bigint,
--   for image_fraction, image_concentration, image_lift, image_rank: n_<x> bigint (non-NULL values), sum_<x> double,
--   m2_<x> double (sum of squared deviations from the part's mean), for region_fraction, region_concentration,
--   region_lift, text_fraction, text_concentration, text_lift: n_<x> bigint, sum_<x> double

-- One row per run × model × benchmark × sample.
create or replace view samples as
select * from read_parquet('samples/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   run_id varchar, sample_id varchar, query_kind varchar, image_file varchar, question varchar,
--   prompt varchar, answer varchar, prediction varchar, correct boolean, n_prompt_tokens integer,
--   n_keys integer, image_start integer, n_image_tokens integer, n_region_tokens integer,
--   box_x0 float, box_y0 float, box_x1 float, box_y1 float (NULL without box; pixels of the source image),
--   first_token_id integer, n_generated_tokens integer

-- One row per model (latest description wins; a model folder hashes to the same weights_sha256).
-- training_json: the raw content of training.json in the model folder (the zoo's provenance: parameters, training
-- seconds, steps, batch size, ...), NULL when the folder has none. Parts written before it existed lack the column;
-- the empty row below gives every part one, NULL.
create or replace view models as
select * from read_parquet('models/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar}, union_by_name = true)
union all by name
select cast(null as varchar) as training_json
where false;
--   family varchar, scale varchar, source_dir varchar, weights_sha256 varchar, dtype varchar,
--   n_layers integer, n_heads integer, n_kv_heads integer, hidden_size integer, head_dim integer,
--   vision_layers integer, n_image_tokens integer, n_params bigint, training_json varchar

-- One row per run × model × benchmark × shard (a run_id is the hash of everything that determines its facts).
create or replace view runs as
select * from read_parquet('runs/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   run_id varchar, query_kind varchar, config_json varchar, vhw_version varchar,
--   torchsharp_version varchar, dtype varchar, device varchar, started_at timestamp,
--   finished_at timestamp, n_samples integer, n_rejects integer, status varchar,
--   shard_index integer, shard_count integer (a run ingested as N shards has N rows, one per shard;
--   it is complete when all N are present — `vhw transform` checks this)

-- One row per input that could not be ingested (the run goes on without it).
create or replace view rejects as
select * from read_parquet('rejects/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   run_id varchar, source_file varchar, line integer, sample_id varchar, field varchar, reason varchar

-- One row per run × model × benchmark × subset × metric, written by ingest when every shard of the run is complete
-- (from the run's samples; definitions: ingest/Vhw.Ingest/Benchmarks/Scoring/BenchmarkScorer.cs).
create or replace view benchmark_scores as
select * from read_parquet('benchmark_scores/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   run_id varchar, format varchar (questions, pope, mmbench, seed, qbench, pointqa),
--   subset_kind varchar ('all', 'split', 'category', 'question_type'), subset varchar ('all' or its value),
--   metric varchar, value double (NULL where undefined, e.g. precision with no "yes" predicted), n_samples integer
--   metrics: pope → accuracy, precision, recall, f1, yes_ratio (positive = "yes"; the prediction is read as LLaVA's
--   eval_pope.py does); mmbench / seed / qbench → accuracy over questions (options as published), plus
--   circular_accuracy (every rotation right) when ingested with --circular, n_samples = questions;
--   pointqa / questions → accuracy of samples.correct (normalised answer match; "12" does not match "1").

-- Head ablation (`vhw ablate`; paper-method.md "Ablation (maskout)"; ingest/Vhw.Ingest/Ablation). An evaluation is one
-- head set removed in one mode ('maskout': the head's logits set to 0 after the causal mask, so it outputs the mean of
-- all values; 'zero_output': its output zeroed before o_proj; 'none': the unablated baseline) over one benchmark, with
-- the benchmark's own scoring. eval_id hashes everything that determines its predictions.
-- One row per evaluation × model × benchmark × sample: the per-sample correctness paired tests need.
create or replace view ablation_samples as
select * from read_parquet('ablation_samples/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   eval_id varchar, mode varchar ('maskout', 'zero_output', 'none'), selection_hash varchar,
--   sample_id varchar, prediction varchar, correct boolean, first_token_id integer, n_generated_tokens integer

-- One row per labelled sweep point × model × benchmark (several labels can share one evaluation).
-- strategy: 'baseline' | 'top' (K best heads by `score`) | 'random' (K heads drawn outside the scope's top K; seed =
-- draw number, rng_seed = int(sha256(model name)) mod 10^8 + seed) | 'stage' (all heads of `stage`, or its K best) |
-- 'list'. k = heads removed, n_model_heads = layers × heads. Over the n samples both this evaluation and the baseline
-- scored: accuracy = n_correct / n with a 95 % Wilson interval [ci_low, ci_high]; delta = accuracy − baseline_accuracy;
-- n_lost = right at baseline and wrong ablated, n_gained the reverse, mcnemar_p the exact two-sided McNemar test on
-- them; n_changed = samples whose prediction string changed. config_id hashes the settings shared by a sweep (model
-- weights, benchmark file, max_new_tokens, limit, dtype, engine version).
create or replace view ablation_results as
select * from read_parquet('ablation_results/*/*/*.parquet', hive_partitioning = true,
    hive_types = {'model': varchar, 'benchmark': varchar}, union_by_name = true);
--   result_id varchar, config_id varchar, eval_id varchar, baseline_eval_id varchar, mode varchar, spec varchar,
--   strategy varchar, stage varchar, score varchar, score_source varchar (a benchmark or 'pooled'), k integer,
--   n_model_heads integer, seed integer, rng_seed bigint, selection_hash varchar, heads varchar ('L.H,…'),
--   n integer, n_correct integer, accuracy double, ci_low double, ci_high double, baseline_accuracy double,
--   delta double, n_lost integer, n_gained integer, mcnemar_p double, n_changed integer, n_rejects integer,
--   config_json varchar, vhw_version varchar, finished_at timestamp
