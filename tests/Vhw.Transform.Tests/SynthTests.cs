using Vhw.Transform.Synthetic;

namespace Vhw.Transform.Tests;

public sealed class SynthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("250M", 250_000_000L)]
    [InlineData("5m", 5_000_000L)]
    [InlineData("1.5G", 1_500_000_000L)]
    [InlineData("40k", 40_000L)]
    [InlineData("123", 123L)]
    public void Fact_counts_parse_with_suffixes(string text, long expected) => Assert.Equal(expected, SynthOptions.ParseCount(text));

    [Fact]
    public void A_synthetic_warehouse_is_complete_consistent_and_transforms()
    {
        string root = TempFolder.Create("synth");
        try
        {
            // 2 models × 2 benchmarks × 6 samples × (4 × 4 heads), chunks of 4 samples: 2 part files per run
            var options = new SynthOptions(root, Facts: 2 * 2 * 6 * 16, Models: 2, Benchmarks: 2, Layers: 4, Heads: 4, ChunkSamples: 4);
            var result = SyntheticWarehouseWriter.Write(options, ct: Ct);
            Assert.Equal(6, result.SamplesPerRun);
            Assert.Equal(2L * 2 * 6 * 16, result.Facts);
            Assert.Empty(RunCompleteness.Find(root));
            Assert.Throws<IOException>(() => SyntheticWarehouseWriter.Write(options, ct: Ct));

            new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
            using var q = new QueryRunner(root);
            long Scalar(string sql) => Convert.ToInt64(q.Run(sql, Ct).Rows[0][0]);
            Assert.Equal(result.Facts, Scalar("select count(*) from head_facts"));
            Assert.Equal(24, Scalar("select count(*) from samples"));
            Assert.Equal(4, Scalar("select count(*) from runs where status = 'complete' and n_samples = 6"));
            Assert.Equal(2, Scalar("select count(*) from models where n_layers = 4 and n_heads = 4"));
            Assert.Equal(4, Scalar("select count(*) from benchmark_scores"));
            // the sample rows describe the same token layout as the facts
            Assert.Equal(0, Scalar("""
                select count(*) from head_facts f join samples s using (model, benchmark, run_id, sample_id)
                where f.n_keys <> s.n_keys or f.n_image_tokens <> s.n_image_tokens or f.n_region_tokens <> s.n_region_tokens
                """));
            // stored types are those of ingest's writer; the derived columns come from schema.sql
            var types = q.Run("select column_name, column_type from (describe select * from read_parquet('head_facts/*/*/*.parquet'))", Ct).Rows
                .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
            Assert.Equal("SMALLINT", types["layer"]);
            Assert.Equal("FLOAT", types["image_fraction"]);
            Assert.False(types.ContainsKey("text_fraction"));
            Assert.Equal(0, Scalar("select count(*) from head_facts where abs(image_fraction + text_fraction - 1) > 1e-6"));
            Assert.Equal(0, Scalar("select count(*) from head_facts where image_fraction not between 0 and 1 or image_concentration not between 0 and 1"));
            Assert.Equal(4, Scalar("select count(*) from weight_concentration_corr"));
            Assert.True(Scalar("select count(*) from head_scores where is_top_head") > 0);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }
}
