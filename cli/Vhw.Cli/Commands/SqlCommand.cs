using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Vhw.Transform;

namespace Vhw.Cli.Commands;

static class SqlCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var sqlArg = new Argument<string?>("sql") { Description = "SQL to run against warehouse.duckdb (omit with --query, or for an interactive prompt)", Arity = ArgumentArity.ZeroOrOne };
        var named = new Option<string?>("--query") { Description = "Run a named analyst query from queries/ (e.g. top_visual_heads)" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV instead of a table" };
        var json = new Option<bool>("--json") { Description = "Print JSON (one array of objects) instead of a table" };
        var cmd = new Command("sql", $"Query the warehouse with DuckDB SQL (read-only: the warehouse is opened in DuckDB's READ_ONLY mode, so several readers can share it while nothing changes it). Named queries: {string.Join(", ", QueryRunner.NamedQueries)}. Without SQL: an interactive prompt (end statements with ';', quit with .exit).")
        { sqlArg, warehouse, named, csv, json };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            using var runner = new QueryRunner(pr.GetValue(warehouse)!, readOnly: true);
            var format = pr.GetValue(json) ? "json" : pr.GetValue(csv) ? "csv" : "table";
            string? sql = pr.GetValue(named) is { } n ? QueryRunner.GetNamedQuerySql(n) : pr.GetValue(sqlArg);
            if (sql is not null)
            {
                try { Print(runner.Run(sql, ct), format); }
                catch (System.Data.Common.DbException e) { Console.Error.WriteLine($"vhw: error: {e.Message}"); return Task.FromResult(2); }
                return Task.FromResult(0);
            }
            Interactive(runner, format, ct);
            return Task.FromResult(0);
        }));
        return cmd;
    }

    static void Interactive(QueryRunner runner, string format, CancellationToken ct)
    {
        var buffer = new System.Text.StringBuilder();
        while (!ct.IsCancellationRequested)
        {
            Console.Write(buffer.Length == 0 ? "vhw> " : "...> ");
            string? line = Console.ReadLine();
            if (line is null || line.Trim() is ".exit" or ".quit") break;
            buffer.AppendLine(line);
            if (!line.TrimEnd().EndsWith(';')) continue;
            try { Print(runner.Run(buffer.ToString(), ct), format); }
            catch (Exception e) { Console.Error.WriteLine($"error: {e.Message}"); }
            buffer.Clear();
        }
    }

    static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    internal static void Print(QueryResult result, string format)
    {
        switch (format)
        {
            case "csv":
                static string Q(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
                Console.WriteLine(string.Join(',', result.Columns.Select(c => Q(c.Name))));
                foreach (var row in result.Rows) Console.WriteLine(string.Join(',', row.Select(v => Q(Cell(v)))));
                break;
            case "json":
                var objects = result.Rows.Select(r => result.Columns.Select((c, i) => (c.Name, r[i])).ToDictionary(x => x.Name, x => x.Item2));
                Console.WriteLine(JsonSerializer.Serialize(objects, new JsonSerializerOptions { WriteIndented = true }));
                break;
            default:
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var c in result.Columns) table.AddColumn(Markup.Escape(c.Name));
                foreach (var row in result.Rows) table.AddRow(row.Select(v => Markup.Escape(Cell(v))).ToArray());
                AnsiConsole.Write(table);
                Console.WriteLine($"{result.Rows.Count} rows");
                break;
        }
    }
}
