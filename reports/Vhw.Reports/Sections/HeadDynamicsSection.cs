namespace Vhw.Reports.Sections;

/// <summary>Finding 5: do the top visual heads switch with the question (queries/switching_visual_heads.sql over head_activation_dynamics)?</summary>
public sealed class HeadDynamicsSection : IReportSection
{
    public int Order => 70;

    public IEnumerable<ReportBlock> Build(ReportContext context) =>
    [
        new HeadingBlock(2, "Head activation dynamics"),
        new ParagraphBlock("For the top visual heads: how often each is active in a sample (image lift above 1, i.e. more attention on the " +
            "image than even attention), the binary entropy of that rate (0 = always or never, 1 = half the samples), how often it is in the " +
            "sample's top N, the coefficient of variation of its image fraction and the spread of its per-sample rank."),
        new TableBlock(context.Query.RunNamed("switching_visual_heads", context.Ct)),
    ];
}
