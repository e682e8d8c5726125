namespace Vhw.Reports.Sections;

/// <summary>Are visual heads the same across benchmarks, and at the same depth across scales (rank_stability)?</summary>
public sealed class RankStabilitySection : IReportSection
{
    public int Order => 60;

    public IEnumerable<ReportBlock> Build(ReportContext context) =>
    [
        new HeadingBlock(2, "Rank stability"),
        new ParagraphBlock("across_benchmarks: one model on two benchmarks — Spearman of the heads' mean image fraction and Jaccard of the two " +
            "top-head sets. across_scales: two models of one family and different scale on one benchmark — mean relative depth of the top heads " +
            "and the overlap of their relative-depth decile profiles (1 = same spread)."),
        new TableBlock(context.Query.Run("""
            select comparison, family, query_kind, model_a, benchmark_a, model_b, benchmark_b, n_common_heads,
                head_score_spearman, top_k_jaccard, k_a, k_b, mean_top_relative_depth_a, mean_top_relative_depth_b,
                relative_depth_shift, decile_profile_overlap
            from rank_stability
            order by comparison, family, query_kind, model_a, benchmark_a, model_b, benchmark_b
            """, context.Ct)),
    ];
}
