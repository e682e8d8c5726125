using System.CommandLine;
using Vhw.Transform.Sharing;

namespace Vhw.Cli.Commands;

static class ExportCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var outDir = new Option<string>("--out") { Description = "New (or empty) folder to write the dataset into", Required = true };
        var cmd = new Command("export",
            "Write a shareable dataset folder: the raw Parquet (hive layout), schema.sql, DATASET.md (models, benchmarks, metric " +
            "definitions) and manifest.json (row count and SHA-256 per file). Load it elsewhere with `vhw import`.")
        { warehouse, outDir };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var result = DatasetExporter.Export(pr.GetValue(warehouse)!, pr.GetValue(outDir)!, ct);
            foreach (var (table, t) in result.Manifest.Tables)
                Console.WriteLine($"{table,-20} {t.Files,6} files {t.Rows,14:N0} rows");
            Console.WriteLine($"exported {result.Manifest.Files.Count} files to {result.Directory}");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
