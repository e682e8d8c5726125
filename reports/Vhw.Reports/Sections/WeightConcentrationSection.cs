using System.Globalization;
using Vhw.Reports.Figures;
using static Vhw.Reports.ReportValues;

namespace Vhw.Reports.Sections;

/// <summary>Figure 1 of Bi et al. (grid of models × benchmarks, one point per head) and weight_concentration_corr with its intervals.</summary>
public sealed class WeightConcentrationSection : IReportSection
{
    public int Order => 30;

    public IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new HeadingBlock(2, "Attention weight vs concentration");
        yield return new ParagraphBlock("Across the heads of a model: Pearson and Spearman correlation of a head's mean image fraction and its " +
            "mean image concentration, with 95 % percentile-bootstrap intervals over samples (Poisson weights, fixed seed; " +
            "weight_concentration_corr) and, for Pearson, Fisher's z interval over heads as a cross-check. bias = mean of the replicates " +
            "minus the estimate: with few samples the replicates' head means are noisier and the interval can sit below the estimate.");
        yield return new TableBlock(context.Query.Run("""
            select model, benchmark, query_kind, n_heads, n_samples,
                pearson, pearson_ci_low, pearson_ci_high, pearson_fisher_ci_low, pearson_fisher_ci_high, pearson_bootstrap_bias,
                spearman, spearman_ci_low, spearman_ci_high, spearman_bootstrap_bias, n_replicates
            from weight_concentration_corr
            order by model, benchmark, query_kind
            """, context.Ct));

        var heads = context.Query.Run("""
            select query_kind, model, benchmark, mean_image_fraction, mean_image_concentration
            from head_scores
            where mean_image_fraction is not null and mean_image_concentration is not null
            order by query_kind, model, benchmark, layer, head
            """, context.Ct);
        var notes = context.Query.Run("select model, benchmark, query_kind, pearson, spearman from weight_concentration_corr", context.Ct)
            .Rows.ToDictionary(row => ((string)row[0]!, (string)row[1]!, (string)row[2]!),
                row => string.Create(CultureInfo.InvariantCulture, $"r = {Fmt(row[3])}, ρ = {Fmt(row[4])}"));
        foreach (var kind in heads.Rows.GroupBy(row => Str(heads, row, "query_kind")))
        {
            context.Ct.ThrowIfCancellationRequested();
            var models = kind.Select(row => Str(heads, row, "model")).Distinct().Order(StringComparer.Ordinal).ToList();
            var benchmarks = kind.Select(row => Str(heads, row, "benchmark")).Distinct().Order(StringComparer.Ordinal).ToList();
            var panels = kind.GroupBy(row => (Model: Str(heads, row, "model"), Benchmark: Str(heads, row, "benchmark")))
                .Select(p => new ScatterPanel(p.Key.Model, p.Key.Benchmark,
                    p.Select(row => Dbl(heads, row, "mean_image_fraction")).ToArray(),
                    p.Select(row => Dbl(heads, row, "mean_image_concentration")).ToArray(),
                    notes.GetValueOrDefault((p.Key.Model, p.Key.Benchmark, kind.Key), "")))
                .ToList();
            string caption = $"one point per head, models × benchmarks, {kind.Key}";
            yield return new FigureBlock(caption, $"figure1_{Slug(kind.Key)}.png",
                new WeightConcentrationGridFigure($"Figure 1: weight vs concentration per head ({kind.Key})", models, benchmarks, panels).RenderPng());
        }
    }

    private static string Fmt(object? v) => v is null ? "n/a" : Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture);
}
