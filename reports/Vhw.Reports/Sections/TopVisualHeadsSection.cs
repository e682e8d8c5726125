namespace Vhw.Reports.Sections;

/// <summary>The ten heads with the most attention on the image, per model × benchmark × query kind (queries/top_visual_heads.sql).</summary>
public sealed class TopVisualHeadsSection : IReportSection
{
    public int Order => 10;

    public IEnumerable<ReportBlock> Build(ReportContext context) =>
    [
        new HeadingBlock(2, "Top visual heads"),
        new ParagraphBlock("rank 1 = highest mean attention mass on image tokens (mean_image_fraction). lift = mass ÷ (image tokens / keys), " +
            "1 = no preference over even attention. detection_score = share of samples in which the head is among the sample's top N heads " +
            "by image fraction, N = greatest(1, round(5 % of the model's heads)). Stages follow the authors' tables for 32 and 40 layers."),
        new TableBlock(context.Query.RunNamed("top_visual_heads", context.Ct)),
    ];
}
