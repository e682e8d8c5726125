using System.CommandLine;
using Vhw.Transform.Sharing;

namespace Vhw.Cli.Commands;

static class ImportCommand
{
    public static Command Create()
    {
        var warehouse = WarehouseOption.Create();
        var dir = new Argument<string>("dataset") { Description = "Dataset folder written by `vhw export`" };
        var check = new Option<bool>("--check") { Description = "Only validate (manifest, paths, checksums, schema); write nothing" };
        var cmd = new Command("import",
            "Merge a dataset folder (from `vhw export`) into a warehouse. Validates everything first — paths stay inside, every " +
            "SHA-256 and row count matches the manifest, columns match schema.sql — and refuses the whole dataset otherwise. " +
            "Rows the warehouse already has are not written again. Run `vhw transform` afterwards.")
        { dir, warehouse, check };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            if (pr.GetValue(check))
            {
                var manifest = DatasetValidator.Validate(Path.GetFullPath(pr.GetValue(dir)!), Path.GetFullPath(pr.GetValue(warehouse)!), ct);
                Console.WriteLine($"valid: {manifest.Files.Count} files, {manifest.Tables.Values.Sum(t => t.Rows):N0} rows");
                return Task.FromResult(0);
            }
            var result = DatasetImporter.Import(pr.GetValue(dir)!, pr.GetValue(warehouse)!, ct);
            foreach (var g in result.Files.GroupBy(f => (f.Table, f.Action)).OrderBy(g => g.Key.Table, StringComparer.Ordinal))
                Console.WriteLine($"{g.Key.Table,-20} {g.Key.Action,-34} {g.Count(),6} files {g.Sum(f => f.NewRows),14:N0} new rows");
            Console.WriteLine($"imported {result.NewRows:N0} new rows into {result.WarehouseRoot}; run `vhw transform --warehouse {pr.GetValue(warehouse)}`");
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
