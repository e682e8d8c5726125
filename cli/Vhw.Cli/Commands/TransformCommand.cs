using System.CommandLine;
using Vhw.Transform;

namespace Vhw.Cli.Commands;

static class TransformCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var db = new Option<string?>("--db") { Description = "DuckDB file to build (default: <warehouse>/warehouse.duckdb)" };
        var cmd = new Command("transform",
            "Build warehouse.duckdb: raw views from schema.sql over the Parquet, then the SQL models in transform/models " +
            "(staging views → intermediate and mart tables).")
        { warehouse, db };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var runner = new TransformRunner(progress: new Progress<string>(m => Console.Error.WriteLine(m)));
            var result = runner.Run(pr.GetValue(warehouse)!, pr.GetValue(db), ct);
            foreach (var m in result.Models)
                Console.WriteLine($"{m.Layer,-13} {m.Name,-45} {m.Materialization,-5} {m.RowCount,12:N0} rows  {m.Elapsed.TotalMilliseconds,8:N0} ms");
            Console.WriteLine($"built {result.DatabasePath} in {result.Elapsed.TotalSeconds:0.0} s");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
