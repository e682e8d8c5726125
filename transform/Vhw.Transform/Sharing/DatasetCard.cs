using System.Globalization;
using System.Text;

namespace Vhw.Transform.Sharing;

/// <summary>DATASET.md of an export: what is in it (models, benchmarks, rows per table) and what the metrics mean (schema.sql's header).</summary>
internal static class DatasetCard
{
    public static string Render(string datasetDir, string schema, IReadOnlyList<DatasetFile> files, ParquetProbe probe, CancellationToken ct)
    {
        var md = new StringBuilder();
        md.Append("# VisionHeadsWarehouse dataset\n\n")
          .Append("Per-head attention facts of LLaVA-style models (Bi et al., CVPR 2025, arXiv 2412.18108), written by `vhw export`. ")
          .Append("Raw tables as hive-partitioned Parquet (`<table>/model=M[/benchmark=B]/*.parquet`); `schema.sql` declares one view per table. ")
          .Append("Load it into a warehouse with `vhw import <this folder> --warehouse W` (checksums and schema are verified), then `vhw transform --warehouse W`; ")
          .Append("or query it directly: `cd <this folder> && duckdb -c \".read schema.sql\" -c \"select ...\"`.\n\n");

        md.Append("## Tables\n\n| table | files | rows |\n|---|---:|---:|\n");
        foreach (var t in files.GroupBy(f => f.Table!).OrderBy(g => g.Key, StringComparer.Ordinal))
            md.Append(CultureInfo.InvariantCulture, $"| {t.Key} | {t.Count()} | {t.Sum(f => f.Rows ?? 0)} |\n");

        string Glob(string table) => ParquetProbe.ListLiteral(files.Where(f => f.Table == table && f.Rows > 0).Select(f => Path.Combine(datasetDir, f.Path)));
        if (files.Any(f => f.Table == "models" && f.Rows > 0))
        {
            md.Append("\n## Models\n\n| model | family | scale | layers | heads | parameters |\n|---|---|---|---:|---:|---:|\n");
            foreach (var r in probe.Rows($"""
                select model, any_value(family), any_value(scale), max(n_layers), max(n_heads), max(n_params)
                from read_parquet({Glob("models")}, hive_partitioning = true, union_by_name = true) group by model order by model
                """, ct))
                md.Append(CultureInfo.InvariantCulture, $"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} |\n");
        }
        if (files.Any(f => f.Table == "samples" && f.Rows > 0))
        {
            md.Append("\n## Benchmarks\n\n| model | benchmark | query kinds | runs | samples |\n|---|---|---|---:|---:|\n");
            foreach (var r in probe.Rows($"""
                select model, benchmark, string_agg(distinct query_kind, ', ' order by query_kind), count(distinct run_id), count(*)
                from read_parquet({Glob("samples")}, hive_partitioning = true, union_by_name = true)
                group by model, benchmark order by model, benchmark
                """, ct))
                md.Append(CultureInfo.InvariantCulture, $"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |\n");
        }

        md.Append("\n## Metric definitions (from schema.sql)\n\n```\n");
        foreach (string line in schema.Split('\n').TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)))
            md.Append(line.TrimEnd('\r')).Append('\n');
        md.Append("```\n\nEvery file's row count and SHA-256 are in `manifest.json`.\n");
        return md.ToString();
    }
}
