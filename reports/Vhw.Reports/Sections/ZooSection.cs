namespace Vhw.Reports.Sections;

/// <summary>
/// The trained tiny zoo: models whose folder held a training.json (marts zoo_members, zoo_scores, zoo_head_lift) and
/// their '-init' untrained controls. Members (queries/zoo_members.sql), accuracy and head image lift per benchmark
/// (queries/zoo_benchmarks.sql) and accuracy per task (queries/zoo_tasks.sql), each next to the control. Every number is
/// a mart column. No blocks when the warehouse has no trained model (or was transformed before these marts existed).
/// </summary>
public sealed class ZooSection : IReportSection
{
    public int Order => 75;

    public IEnumerable<ReportBlock> Build(ReportContext context)
    {
        if (!context.HasRelation("zoo_members")) yield break;
        var members = context.Query.RunNamed("zoo_members", context.Ct);
        if (members.Rows.Count == 0) yield break;

        yield return new HeadingBlock(2, "Zoo");
        yield return new ParagraphBlock("Tiny LLaVA-style models trained by `vhw zoo` on the synthetic five-task VQA data (their folder holds a " +
            "training.json, kept in models.training_json). The rows whose model ends in -init are the untrained controls: the same member " +
            "at its seeded initialisation, with the same vision tower, ingested on the same samples. layers_x_heads and n_params are read " +
            "from the model's own config and weights; train_seconds and the steps of stage 1 (caption alignment) and stage 2 (QA " +
            "instruction tuning) from its training.json.");
        yield return new TableBlock(members);
        yield return new ParagraphBlock("Accuracy on each benchmark (all of its ingested samples) and how much the heads look at the image: a head's " +
            "lift is its attention mass on the image tokens ÷ (image tokens / keys), averaged over the samples (answer_step2 query; " +
            "1 = even attention); max, p95 and median are taken over the model's heads. control_* = the same number for the untrained " +
            "-init control (an untrained model need not even answer in the benchmark's format, so its accuracy can sit below chance).");
        yield return new TableBlock(context.Query.RunNamed("zoo_benchmarks", context.Ct));
        yield return new ParagraphBlock("Accuracy per task (a zoo benchmark's tasks are the categories of its samples), next to the untrained control's.");
        yield return new TableBlock(context.Query.RunNamed("zoo_tasks", context.Ct));
    }
}
