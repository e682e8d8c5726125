using System.CommandLine;

namespace Vhw.Cli.Commands;

static class WarehouseOption
{
    public static Option<string> Create() => new("--warehouse")
    {
        Description = "Warehouse root folder (Parquet tables + warehouse.duckdb)",
        DefaultValueFactory = _ => "warehouse",
    };
}
