-- average_rank(value, partition_key): rank of value within the rows sharing partition_key (a column or
-- a row such as (model, benchmark, query_kind)), ascending, 1-based; tied values share the mean of the
-- ranks they span: first rank of the tie group + (size of the tie group - 1) / 2. Spearman's rho is the
-- Pearson correlation of two average ranks (corr(average_rank(x, p), average_rank(y, p))). A window
-- expression: filter out NULL values before ranking.
create or replace macro average_rank(value, partition_key) as
    rank() over (partition by partition_key order by value)
        + (count(*) over (partition by partition_key, value) - 1) / 2;
