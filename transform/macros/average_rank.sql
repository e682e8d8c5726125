-- average_rank(value, partition_key): rank of value within the rows sharing partition_key (a column or
-- a row such as (model, benchmark, query_kind)), ascending, 1-based; tied values share the mean of the
-- ranks they span: (first rank of the tie group + last rank of the tie group) / 2, the first being rank() and the
-- last count(*) over the default frame (every row up to the current one and its ties). Both use one window, so one
-- sort; no window partitioned by the value itself (one partition per distinct value costs memory per partition).
-- Spearman's rho is the Pearson correlation of two average ranks (corr(average_rank(x, p), average_rank(y, p))).
-- A window expression: filter out NULL values before ranking. The kernel of int_facts_of_latest_runs_reduced_per_head
-- ranks the bootstrap replicates' head means by the same definition in C# (transform/Vhw.Transform/Kernels/AverageRank.cs;
-- HeadReductionsKernelTests checks the two agree, ties included).
create or replace macro average_rank(value, partition_key) as
    (rank() over (partition by partition_key order by value)
        + count(*) over (partition by partition_key order by value)) / 2;
