-- sample_key(model, benchmark, query_kind, run_id, sample_id): one 64-bit integer for a sample's natural key (a
-- surrogate key, as dbt_utils.generate_surrogate_key makes one), so that a fact-sized join matches one integer instead of
-- hashing and comparing four strings per fact (int_facts_of_latest_runs_reduced_per_head: about 0.8 s of 1.9 s per
-- model at 15M facts). DuckDB's hash of the five values: two different samples of a model share a key with probability
-- about n² / 2^65 (n samples; 1e-11 at 15 000), and int_benchmark_runs_latest_samples_numbered fails the transform if
-- two of its samples ever do. Computed, not stored: compare it only within one DuckDB version.
create or replace macro sample_key(model, benchmark, query_kind, run_id, sample_id) as
    hash(model, benchmark, query_kind, run_id, sample_id);
