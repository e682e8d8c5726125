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

        int n = result.Layers * result.Heads;
        ReadOnlySpan<float> Row(int index) => rows.AsSpan(index * k, k);                    // index = layer × heads + head
        var image = new SetStats[n];
        for (int i = 0; i < n; i++) image[i] = HeadStats.Of(Row(i), spans.Image);
        short[] ranks = HeadRanks.ByImageFraction(Array.ConvertAll(image, s => s.Fraction));

        var facts = new List<HeadFactRow>(n);
        for (int i = 0; i < n; i++)
        {
            SetStats img = image[i];
            SetStats txt = HeadStats.Of(Row(i), spans.Text);
            SetStats? reg = spans.Region is null ? null : HeadStats.Of(Row(i), spans.Region);
            facts.Add(new HeadFactRow
            {
                RunId = runId,
                SampleId = sampleId,
                QueryKind = query.ToWarehouseName(),
                Layer = (short)(i / result.Heads),
                Head = (short)(i % result.Heads),
                NKeys = k,
                NImageTokens = spans.Image.Count,
                NRegionTokens = spans.Region?.Count ?? 0,
                NTextTokens = spans.Text.Count,
                ImageFraction = img.Fraction,
                ImageConcentration = img.Concentration,
                ImageTop1Share = img.Top1Share,
                ImageRank = ranks[i],
                RegionFraction = reg?.Fraction,
                RegionConcentration = reg?.Concentration,
                RegionTop1Share = reg?.Top1Share,
                TextConcentration = txt.Concentration,
                TextTop1Share = txt.Top1Share,
            });
        }
        return facts;
    }
}
