using TorchSharp;
using Vhw.Ingest.Tests.Capture;
using Vhw.Modeling.Llava;
using Vhw.Modeling.Loading;
using Vhw.Modeling.Processing;
using Vhw.Modeling.Tokenization;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>
/// The same numbers three ways: (1) a naive reference — full eager forward with the whole attention matrix
/// and an independently written metric formula, (2) the C# capture as stored in Parquet, (3) the SQL marts.
/// </summary>
public sealed class MetricsCrossCheckTests(IngestedWarehouse w) : IClassFixture<IngestedWarehouse>
{
    sealed record Reference(string SampleId, int Layer, int Head, double ImageFraction, double ImageConcentration, double TextFraction, double? RegionFraction,
        double ImageEntropy, double TextEntropy);

    List<Reference> NaiveReference()
    {
        using var loaded = LlavaCheckpoint.Load(w.Assets.ModelDir);
        var tokenizer = LlavaTokenizer.Load(w.Assets.ModelDir);
        var processor = ClipImageProcessor.Load(w.Assets.ModelDir);
        var samples = Duck.Query(w.Warehouse, "select sample_id, prompt, image_file, first_token_id, box_x0, box_y0, box_x1, box_y1 from samples order by sample_id");
        var result = new List<Reference>();
        using var noGrad = torch.no_grad();
        foreach (var s in samples)
        {
            using var scope = torch.NewDisposeScope();
            var img = processor.Preprocess(Path.Combine(w.Assets.BenchmarkDir, (string)s[2]!));
            var px = torch.tensor(img.Pixels, new long[] { 1, 3, img.Height, img.Width });
            long[] ids = [.. tokenizer.Encode((string)s[1]!, addBos: true).Select(i => (long)i), Convert.ToInt64(s[3])];
            var output = loaded.Model.forward(new LlavaForwardInput(ids, px, OutputAttentions: true));
            var att = output.Attentions!;                        // (L, 1, h, T, T), T = prompt + first answer token
            int t = (int)att.shape[^1], layers = (int)att.shape[0], heads = (int)att.shape[2];
            int[] image = Enumerable.Range(output.ImageStart, output.ImageTokenCount).ToArray();
            int[] text = Enumerable.Range(0, t).Except(image).ToArray();
            int[]? region = s[4] is null ? null : processor.RegionPatches(
                    new[] { Convert.ToSingle(s[4]), Convert.ToSingle(s[5]), Convert.ToSingle(s[6]), Convert.ToSingle(s[7]) },
                    img.SourceWidth, img.SourceHeight, loaded.Config.VisionConfig.PatchSize, loaded.Config.VisionConfig.ImageSize / loaded.Config.VisionConfig.PatchSize)
                .Select(p => output.ImageStart + p).ToArray();
            for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++)
            {
                float[] row = att[l, 0, h, t - 1].data<float>().ToArray();   // the answer token's row at decoding step 2
                var im = HeadStatsTests.Naive(row, image);
                var tx = HeadStatsTests.Naive(row, text);
                result.Add(new((string)s[0]!, l, h, im.mass, im.conc, tx.mass, region is null ? null : HeadStatsTests.Naive(row, region).mass,
                    im.entropy, tx.entropy));
            }
        }
        return result;
    }

    [Fact]
    public void Capture_parquet_and_sql_marts_agree_with_the_naive_reference()
    {
        var reference = NaiveReference();
        Assert.Equal(IngestedWarehouse.Samples * 16, reference.Count);

        // (2) every stored fact equals the naive per-sample value
        // text_fraction and the entropies are derived by schema.sql (not stored): they must still equal the naive values
        var stored = Duck.Query(w.Warehouse, "select sample_id, layer, head, image_fraction, image_concentration, text_fraction, region_fraction, " +
                                             "image_entropy, text_entropy from head_facts")
            .ToDictionary(r => ((string)r[0]!, Convert.ToInt32(r[1]), Convert.ToInt32(r[2])));
        Assert.Equal(reference.Count, stored.Count);
        foreach (var r in reference)
        {
            var f = stored[(r.SampleId, r.Layer, r.Head)];
            Assert.Equal(r.ImageFraction, Convert.ToDouble(f[3]), tolerance: 1e-5);
            Assert.Equal(r.ImageConcentration, Convert.ToDouble(f[4]), tolerance: 1e-4);
            Assert.Equal(r.TextFraction, Convert.ToDouble(f[5]), tolerance: 1e-5);
            if (r.RegionFraction is { } rf) Assert.Equal(rf, Convert.ToDouble(f[6]), tolerance: 1e-5); else Assert.Null(f[6]);
            Assert.Equal(r.ImageEntropy, Convert.ToDouble(f[7]), tolerance: 1e-4);
            Assert.Equal(r.TextEntropy, Convert.ToDouble(f[8]), tolerance: 1e-4);
        }

        // the stored per-sample rank equals a naive ranking of the stored fractions (descending; ties: layer, head)
        var ranked = Duck.Query(w.Warehouse, "select sample_id, layer, head, image_fraction, image_rank from head_facts");
        var naiveRank = ranked.GroupBy(r => (string)r[0]!).SelectMany(g => g
                .OrderByDescending(r => Convert.ToDouble(r[3])).ThenBy(r => Convert.ToInt32(r[1])).ThenBy(r => Convert.ToInt32(r[2]))
                .Select((r, i) => (Key: ((string)r[0]!, Convert.ToInt32(r[1]), Convert.ToInt32(r[2])), Rank: i + 1)))
            .ToDictionary(x => x.Key, x => x.Rank);
        foreach (var r in ranked)
            Assert.Equal(naiveRank[((string)r[0]!, Convert.ToInt32(r[1]), Convert.ToInt32(r[2]))], Convert.ToInt32(r[4]));

        // (3) the marts' per-head means equal the naive means
        using var q = new QueryRunner(w.Warehouse);
        var marts = q.Run("select layer, head, mean_image_fraction, mean_image_concentration, rank from head_scores");
        Assert.Equal(16, marts.Rows.Count);
        var naiveMeans = reference.GroupBy(r => (r.Layer, r.Head))
            .ToDictionary(g => g.Key, g => (frac: g.Average(x => x.ImageFraction), conc: g.Average(x => x.ImageConcentration)));
        foreach (var row in marts.Rows)
        {
            var key = (Convert.ToInt32(row[0]), Convert.ToInt32(row[1]));
            Assert.Equal(naiveMeans[key].frac, Convert.ToDouble(row[2]), tolerance: 1e-5);
            Assert.Equal(naiveMeans[key].conc, Convert.ToDouble(row[3]), tolerance: 1e-4);
        }
        // detection score: share of samples in which the head is among the sample's top N (N = round(5 % of 16) = 1)
        var detection = q.Run("select layer, head, detection_score from head_scores").Rows
            .ToDictionary(r => (Convert.ToInt32(r[0]), Convert.ToInt32(r[1])), r => Convert.ToDouble(r[2]));
        foreach (var (key, score) in detection)
            Assert.Equal(naiveRank.Count(kv => (kv.Key.Item2, kv.Key.Item3) == key && kv.Value <= 1) / (double)IngestedWarehouse.Samples, score, tolerance: 1e-12);
        var bestNaive = naiveMeans.MaxBy(kv => kv.Value.frac).Key;
        var rankOne = marts.Rows.Single(r => Convert.ToInt64(r[4]) == 1);
        Assert.Equal(bestNaive, (Convert.ToInt32(rankOne[0]), Convert.ToInt32(rankOne[1])));

        // Pearson across heads (model_correlations) vs MathNet on the naive means
        var keys = naiveMeans.Keys.OrderBy(k => k).ToList();
        double pearson = MathNet.Numerics.Statistics.Correlation.Pearson(keys.Select(k => naiveMeans[k].frac), keys.Select(k => naiveMeans[k].conc));
        var corr = q.Run("select pearson from model_correlations");
        Assert.Equal(pearson, Convert.ToDouble(corr.Rows.Single()[0]), tolerance: 1e-3);
    }
}
