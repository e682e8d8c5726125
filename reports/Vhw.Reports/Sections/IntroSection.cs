namespace Vhw.Reports.Sections;

/// <summary>What the report is and where its numbers come from.</summary>
public sealed class IntroSection : IReportSection
{
    public int Order => 0;

    public IEnumerable<ReportBlock> Build(ReportContext context) =>
    [
        new ParagraphBlock("Attention heads of LLaVA-style models that look at the image (Bi et al., CVPR 2025, arXiv 2412.18108). " +
            "Every number below is read from the marts of warehouse.duckdb (head_scores, weight_concentration_corr, stage_distribution, " +
            "model_concentration_vs_accuracy, rank_stability, head_activation_dynamics, model_accuracy); each mart uses the latest run " +
            "per model × benchmark × query kind. `make reports` rebuilds this page from the warehouse alone."),
    ];
}
