using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace Vhw.Transform;

/// <summary>
/// A tiny dbt run: opens (or creates) warehouse.duckdb, points <c>file_search_path</c> at the warehouse root,
/// applies <see cref="TransformSettings"/> (threads, memory limit), runs schema.sql (raw views), the macros, then
/// every model staging → intermediate → marts, in file-name order within a layer: <c>create or replace view|table
/// &lt;file name&gt; as &lt;sql&gt;</c> (staging views, intermediate and marts tables unless a model's header says
/// otherwise, <see cref="ModelMaterialization"/>). Everything runs in one transaction, so a failure leaves the
/// previous warehouse as it was.
/// </summary>
/// <param name="project">The SQL to run; <see cref="SqlProject.Embedded"/> when null.</param>
/// <param name="progress">Receives one line per step.</param>
/// <param name="settings">DuckDB threads and memory limit, bootstrap replicates; <see cref="TransformSettings.Default"/> when null.</param>
public sealed partial class TransformRunner(SqlProject? project = null, IProgress<string>? progress = null, TransformSettings? settings = null)
{
    private readonly SqlProject _project = project ?? SqlProject.Embedded;
    private readonly TransformSettings _settings = settings ?? TransformSettings.Default;

    public TransformResult Run(string warehouseRoot, string? databasePath = null, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        string root = Path.GetFullPath(warehouseRoot);
        var absentOptional = RawTables.EnsurePresent(root);
        _project.Validate();
        string database = Warehouse.DatabasePath(root, databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        progress?.Report($"transform {root} -> {database}");

        using var connection = Open(root, database);
        var settingsFile = new SqlFile("(transform settings)", "");
        foreach (string pragma in _settings.PragmaStatements())
            Execute(connection, settingsFile, pragma, ct);
        using var transaction = connection.BeginTransaction();
        try
        {
            ApplySchemaAndMacros(connection, _project, absentOptional, progress, ct);
            foreach (string overrideSql in _settings.MacroOverrides())
                Execute(connection, settingsFile, overrideSql, ct);
            SetSummarisedParts(connection, ct);
            var results = new List<ModelRunResult>(_project.Models.Count);
            for (int i = 0; i < _project.Models.Count; i++)
                results.AddRange(RunModel(connection, _project.Models[i], i + 1, ct));
            transaction.Commit();
            progress?.Report($"done: {_project.Models.Count} models in {total.Elapsed.TotalSeconds:0.0} s");
            return new TransformResult(root, database, results, total.Elapsed);
        }
        catch
        {
            try { transaction.Rollback(); } catch (DuckDBException) { /* already rolled back by DuckDB */ }
            throw;
        }
    }

    private static DuckDBConnection Open(string root, string database)
    {
        try
        {
            return Warehouse.Open(root, database, readOnly: false);
        }
        catch (DuckDBException e)
        {
            throw new TransformException($"cannot open {database} for writing (is another process using it?): {e.Message}", null, e);
        }
    }

    /// <summary>schema.sql's raw views (an empty view for each optional table without Parquet), then the macros.</summary>
    internal static void ApplySchemaAndMacros(DuckDBConnection connection, SqlProject project, IReadOnlySet<string> absentOptional,
        IProgress<string>? progress, CancellationToken ct)
    {
        var schema = new SqlFile("schema.sql", project.Schema);
        foreach (string statement in SqlText.SplitStatements(project.Schema))
        {
            var view = CreateView().Match(SqlText.StripCommentsAndStrings(statement));
            if (view.Success && absentOptional.Contains(view.Groups[1].Value))
            {
                progress?.Report($"no Parquet under {view.Groups[1].Value}/: raw view {view.Groups[1].Value} is empty");
                Execute(connection, schema, RawTables.OptionalEmptyViews[view.Groups[1].Value], ct);
            }
            else
            {
                Execute(connection, schema, statement, ct);
            }
        }
        foreach (var macro in project.Macros)
            Execute(connection, macro, macro.Sql, ct);
    }

    /// <summary>
    /// The DuckDB variable int_attention_aggregated_to_run_head reads: the fact parts (part_key) whose head summary it
    /// uses; the facts of every other part are aggregated in the transform (macros/partial_aggregates.sql).
    /// </summary>
    public const string SummarisedPartsVariable = "vhw_summarised_parts";

    /// <summary>The DuckDB variable holding how many fact parts no summary covers (head_partials skips its scan at 0).</summary>
    public const string UnsummarisedPartsVariable = "vhw_unsummarised_parts";

    // A constant list, so that the fallback's filter on part reaches DuckDB's list of files to open.
    private void SetSummarisedParts(DuckDBConnection connection, CancellationToken ct)
    {
        var file = new SqlFile("macros/partial_aggregates.sql", "");
        Execute(connection, file, $"set variable {SummarisedPartsVariable} = " +
                                  "(select coalesce(list(part_key order by part_key), []) from summarised_parts())", ct);
        long covered = Warehouse.ScalarLong(connection, $"select len(getvariable('{SummarisedPartsVariable}'))", ct);
        long parts = Warehouse.ScalarLong(connection, "select count(*) from fact_parts()", ct);
        Execute(connection, file, $"set variable {UnsummarisedPartsVariable} = {parts - covered}", ct);
        progress?.Report(covered == parts
            ? $"head summaries cover all {parts:N0} fact parts"
            : $"head summaries cover {covered:N0} of {parts:N0} fact parts; the others' facts are aggregated here (`vhw summarise` writes their summaries once)");
    }

    // the model's result, then one per further table a kernel model writes (built in the model's time)
    private IEnumerable<ModelRunResult> RunModel(DuckDBConnection connection, SqlFile model, int index, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        string layer = model.Layer!;
        var materialization = ModelMaterialization.Of(model);
        var statements = SqlText.SplitStatements(model.Sql);
        var kernel = materialization.Kernel is { } name ? Kernels.ModelKernels.Find(name)! : null;
        int expected = kernel?.Inputs ?? 1;
        if (statements.Count != expected)
            throw new TransformException(kernel is null
                ? $"model {model.Path} must hold exactly one select statement (found {statements.Count})"
                : $"model {model.Path} must hold the {expected} input selects of kernel {kernel.Name} (found {statements.Count})", model.Path);
        string what = materialization.Kind;
        if (kernel is not null)
        {
            var phases = new Kernels.KernelPhases();
            int n = RunKernel(connection, model, statements, materialization, kernel, phases, ct);
            what = $"kernel {kernel.Name}, {n} × {materialization.PartitionColumn}: {phases}";
        }
        else if (materialization.IsPartitioned)
        {
            int n = RunPartitioned(connection, model, statements[0], materialization, ct);
            what = $"table, {n} × {materialization.PartitionColumn}";
        }
        else
        {
            Execute(connection, model, $"create or replace {materialization.Kind} {model.Name} as\n{statements[0]}\n", ct);
        }
        // a view past staging (e.g. facts joined to their run) would be computed just to count it: not counted; a model
        // whose header gives its count from metadata (-- counted as: select …) is counted that way
        long rows = ModelMaterialization.CountedAs(model) is { } countedAs ? CountedAs(connection, model, countedAs, ct)
            : materialization.Kind == "view" && layer != "staging" ? -1 : Count(connection, model, model.Name, ct);
        string counted = rows < 0 ? "not counted" : string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows");
        var also = ModelMaterialization.AlsoMaterialized(model).Select(table => (table, rows: Count(connection, model, table, ct))).ToList();
        string alsoCounted = string.Concat(also.Select(t => string.Create(CultureInfo.InvariantCulture, $"; also {t.table}: {t.rows:N0} rows")));
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"[{index}/{_project.Models.Count}] {layer}/{model.Name} ({what}): {counted}{alsoCounted} in {watch.Elapsed.TotalSeconds:0.00} s"));
        return also.Select(t => new ModelRunResult(t.table, layer, "table", model.Path, t.rows, TimeSpan.Zero))
            .Prepend(new ModelRunResult(model.Name, layer, materialization.Kind, model.Path, rows, watch.Elapsed)).ToList();
    }

    /// <summary>The DuckDB variable holding the partition value while a partitioned model builds (macros/in_partition.sql).</summary>
    public const string PartitionVariable = "vhw_partition";

    /// <summary>
    /// The DuckDB variable schema.sql's head_facts_parts() reads: while a model-partitioned table builds a model's slice it
    /// holds that model, so head_facts lists and opens that model's Parquet parts only.
    /// </summary>
    public const string ModelScopeVariable = "vhw_model_scope";

    // The table from the model's columns, then one insert per value of the partition column (ModelMaterialization).
    private static int RunPartitioned(DuckDBConnection connection, SqlFile model, string select, ModelMaterialization m, CancellationToken ct)
    {
        var values = PartitionValues(connection, model, m);
        Execute(connection, model, $"create or replace table {model.Name} as\nselect * from (\n{select}\n) as unpartitioned where false\n", ct);
        ForEachPartition(connection, model, m, values, (_, literal) =>
            Execute(connection, model, $"insert into {model.Name}\nselect * from (\n{select}\n) as unpartitioned\n" +
                                       $"where {m.PartitionColumn} = {literal}\n", ct), ct);
        return values.Count;
    }

    // The kernel's output tables (the model's, then those its header names), then the kernel once per value of the
    // partition column, appending its rows. Each input is the model's select restricted to the value, without the
    // partition column (the kernel writes it).
    private int RunKernel(DuckDBConnection connection, SqlFile model, IReadOnlyList<string> inputs, ModelMaterialization m,
        Kernels.IModelKernel kernel, Kernels.KernelPhases phases, CancellationToken ct)
    {
        var values = PartitionValues(connection, model, m);
        var tables = ModelMaterialization.AlsoMaterialized(model).Prepend(model.Name).ToList();
        for (int t = 0; t < tables.Count; t++)
            Execute(connection, model, $"create or replace table {tables[t]} ({kernel.OutputColumns[t]})", ct);
        ForEachPartition(connection, model, m, values, (value, literal) =>
        {
            var outputs = new List<Kernels.ChunkWriter>();
            try
            {
                var partitionInputs = inputs.Select(input =>
                    $"select * exclude ({m.PartitionColumn}) from (\n{input}\n) as unpartitioned where {m.PartitionColumn} = {literal}").ToList();
                foreach (string table in tables) outputs.Add(new Kernels.ChunkWriter(connection, table));
                kernel.Build(connection, partitionInputs, value, outputs, _settings.Threads, phases, ct);
                foreach (var output in outputs) output.Complete();
            }
            catch (Exception e) when (e is DuckDBException or Kernels.KernelException)
            {
                throw new TransformException($"model {model.Path} (kernel {kernel.Name}, {m.PartitionColumn} = {literal}) failed: {e.Message}", model.Path, e);
            }
            finally
            {
                foreach (var output in outputs) output.Dispose();
            }
        }, ct);
        return values.Count;
    }

    private static List<string> PartitionValues(DuckDBConnection connection, SqlFile model, ModelMaterialization m)
    {
        var values = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = $"select distinct cast({m.PartitionColumn} as varchar) from {m.PartitionSource} " +
                              $"where {m.PartitionColumn} is not null order by 1";
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) values.Add(reader.GetString(0));
        }
        catch (DuckDBException e)
        {
            throw new TransformException($"model {model.Path}: partition values from {m.PartitionSource} failed: {e.Message}", model.Path, e);
        }
        return values;
    }

    // Runs build(value, its SQL literal) once per value with the DuckDB variables vhw_partition (and, partitioned by model,
    // vhw_model_scope) set to it; resets them afterwards.
    private static void ForEachPartition(DuckDBConnection connection, SqlFile model, ModelMaterialization m, IReadOnlyList<string> values,
        Action<string, string> build, CancellationToken ct)
    {
        try
        {
            foreach (string value in values)
            {
                string literal = $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
                Execute(connection, model, $"set variable {PartitionVariable} = {literal}", ct);
                if (m.PartitionColumn == "model")
                {
                    // scoped only where the model has parts: read_parquet fails on a pattern that matches no file
                    bool hasParts = Warehouse.ScalarLong(connection,
                        $"select count(*) from glob('head_facts/model=' || {literal} || '/*/*.parquet')", ct) > 0;
                    Execute(connection, model, hasParts ? $"set variable {ModelScopeVariable} = {literal}" : $"reset variable {ModelScopeVariable}", ct);
                }
                build(value, literal);
            }
        }
        finally
        {
            try
            {
                Warehouse.Execute(connection, $"reset variable {PartitionVariable}", CancellationToken.None);
                Warehouse.Execute(connection, $"reset variable {ModelScopeVariable}", CancellationToken.None);
            }
            catch (DuckDBException) { /* the transaction is failing anyway */ }
        }
    }

    private static long Count(DuckDBConnection connection, SqlFile model, string table, CancellationToken ct) =>
        CountedAs(connection, model, $"select count(*) from {table}", ct);

    private static long CountedAs(DuckDBConnection connection, SqlFile model, string sql, CancellationToken ct)
    {
        try
        {
            return Warehouse.ScalarLong(connection, sql, ct);
        }
        catch (DuckDBException e)
        {
            throw new TransformException($"model {model.Path} failed: {e.Message}", model.Path, e);
        }
    }

    private static void Execute(DuckDBConnection connection, SqlFile file, string sql, CancellationToken ct)
    {
        try
        {
            Warehouse.Execute(connection, sql, ct);
        }
        catch (DuckDBException e)
        {
            string what = file.Layer is null ? file.Path : $"model {file.Path}";
            throw new TransformException($"{what} failed: {e.Message}", file.Path, e);
        }
    }

    [GeneratedRegex(@"^\s*create\s+(?:or\s+replace\s+)?view\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateView();
}
