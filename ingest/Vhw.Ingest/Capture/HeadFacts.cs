using Vhw.Ingest.Storage.Rows;
using Vhw.Modeling.Generation;

namespace Vhw.Ingest.Capture;

/// <summary>Turns one sample's captured rows (layers × heads × keys) into head_facts rows, with each head's rank in the
/// sample (HeadRanks). The text set's mass and the entropies are computed (HeadStats) but not stored: schema.sql derives
/// them from what is (see HeadFactRow).</summary>
public static class HeadFacts
{
    public static List<HeadFactRow> From(GenerationResult result, CaptureQuery query, TokenSpans spans, string runId, string sampleId)
    {
        float[] rows = result.Rows ?? throw new ArgumentException("generation ran without capture", nameof(result));
        int k = result.KeyCount;
        if (spans.KeyCount != k)
            throw new ArgumentException($"token spans cover {spans.KeyCount} keys, captured rows have {k}");
        if (rows.Length != result.Layers * result.Heads * k)
            throw new ArgumentException($"captured rows hold {rows.Length} values, expected {result.Layers}×{result.Heads}×{k}");

        var facts = new List<HeadFactRow>(result.Layers * result.Heads);
        for (int layer = 0; layer < result.Layers; layer++)
        for (int head = 0; head < result.Heads; head++)
        {
            ReadOnlySpan<float> row = rows.AsSpan((layer * result.Heads + head) * k, k);
            SetStats img = HeadStats.Of(row, spans.Image);
            SetStats txt = HeadStats.Of(row, spans.Text);
            SetStats? reg = spans.Region is null ? null : HeadStats.Of(row, spans.Region);
            facts.Add(new HeadFactRow
            {
                RunId = runId,
                SampleId = sampleId,
                QueryKind = query.ToWarehouseName(),
                Layer = (short)layer,
                Head = (short)head,
                NKeys = k,
                NImageTokens = spans.Image.Count,
                NRegionTokens = spans.Region?.Count ?? 0,
                NTextTokens = spans.Text.Count,
                ImageFraction = img.Fraction,
                ImageConcentration = img.Concentration,
                ImageTop1Share = img.Top1Share,
                RegionFraction = reg?.Fraction,
                RegionConcentration = reg?.Concentration,
                RegionTop1Share = reg?.Top1Share,
                TextConcentration = txt.Concentration,
                TextTop1Share = txt.Top1Share,
            });
        }
        short[] ranks = HeadRanks.ByImageFraction(facts.ConvertAll(f => f.ImageFraction));
        for (int i = 0; i < facts.Count; i++) facts[i] = facts[i] with { ImageRank = ranks[i] };
        return facts;
    }
}
