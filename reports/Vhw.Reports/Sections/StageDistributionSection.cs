using Vhw.Reports.Figures;
using static Vhw.Reports.ReportValues;

namespace Vhw.Reports.Sections;

/// <summary>Where the top visual heads sit: stage bars per model × benchmark (stage_distribution) and the pooled table (queries/stage_distribution.sql).</summary>
public sealed class StageDistributionSection : IReportSection
{
    private static readonly string[] Stages = ["early", "middle", "late"];

    public int Order => 40;

    public IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new HeadingBlock(2, "Stage distribution");
        yield return new ParagraphBlock("Share of each model's top visual heads (rank ≤ N, 5 % of its heads) per stage; the black tick is the " +
            "stage's share of all heads (an even spread). The table pools the benchmarks of a model; stage_distribution also has relative-depth deciles.");
        var r = context.Query.Run("""
            select distinct query_kind, model, benchmark, stage, stage_top_head_share, stage_head_share
            from stage_distribution
            order by query_kind, model, benchmark, stage
            """, context.Ct);
        foreach (var kind in r.Rows.GroupBy(row => Str(r, row, "query_kind")))
        {
            var groups = kind.GroupBy(row => $"{Str(r, row, "model")}\n{Str(r, row, "benchmark")}")
                .Select(g => new StageBarGroup(g.Key,
                    Stages.Select(s => g.Where(row => Str(r, row, "stage") == s).Select(row => Dbl(r, row, "stage_top_head_share")).DefaultIfEmpty(0).First()).ToArray(),
                    Stages.Select(s => g.Where(row => Str(r, row, "stage") == s).Select(row => Dbl(r, row, "stage_head_share")).DefaultIfEmpty(0).First()).ToArray()))
                .ToList();
            yield return new FigureBlock($"share of top visual heads per stage, {kind.Key}", $"stages_{Slug(kind.Key)}.png",
                new StageBarsFigure($"Top visual heads per stage ({kind.Key})", Stages, groups).RenderPng());
        }
        yield return new TableBlock(context.Query.RunNamed("stage_distribution", context.Ct));
    }
}
