namespace Vhw.Reports.Sections;

/// <summary>Finding 4: concentration of a model's top heads next to its accuracy, and the across-model correlation (model_concentration_vs_accuracy).</summary>
public sealed class ConcentrationVsAccuracySection : IReportSection
{
    public int Order => 50;

    public IEnumerable<ReportBlock> Build(ReportContext context) =>
    [
        new HeadingBlock(2, "Concentration vs accuracy"),
        new ParagraphBlock("Mean image concentration of each model's top visual heads next to its accuracy on the benchmark; across_model_* " +
            "correlate the two over the models that answered the benchmark (NULL below 3 models)."),
        new TableBlock(context.Query.Run("""
            select model, benchmark, query_kind, n_top_heads, top_heads_mean_image_concentration, top_heads_mean_image_fraction,
                top_heads_mean_image_lift, n_scored, accuracy, n_models, across_model_pearson, across_model_spearman
            from model_concentration_vs_accuracy
            order by benchmark, query_kind, model
            """, context.Ct)),
    ];
}
