-- sample_key(model, benchmark, query_kind, run_id, sample_id): one 64-bit integer for a sample's natural key (a
-- surrogate key, as dbt_utils.generate_surrogate_key makes one): int_facts_of_latest_runs_reduced_per_head gives each
-- fact its sample's key and the kernel looks the key up among the latest runs' samples, instead of a fact-sized join
-- on four strings (BENCHMARKS.md, "Codec": the join was half of that query). DuckDB's hash of the five values: two different samples of a model share a key with probability
-- about n² / 2^65 (n samples; 1e-11 at 15 000), and int_benchmark_runs_latest_samples_numbered fails the transform if
-- two of its samples ever do. Computed, not stored: compare it only within one DuckDB version.
create or replace macro sample_key(model, benchmark, query_kind, run_id, sample_id) as
    hash(model, benchmark, query_kind, run_id, sample_id);
