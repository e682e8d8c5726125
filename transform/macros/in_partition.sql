-- in_partition(value): true when value belongs to the partition being built. The runner builds a model declared
-- "-- materialized: table partitioned by <column> from <model>" once per value of <column> with the DuckDB variable
-- vhw_partition set to that value (Vhw.Transform.ModelMaterialization); outside such a build the variable is NULL and
-- every value belongs. The runner keeps only the partition's rows of each build anyway, so this filter is for speed:
-- put on a model's scans of the facts, it reaches the Parquet files (one model's files are read) where DuckDB cannot
-- push the runner's outer filter down (into a CTE used twice, below a window partitioned by a row).
create or replace macro in_partition(value) as
    getvariable('vhw_partition') is null or value = getvariable('vhw_partition');
