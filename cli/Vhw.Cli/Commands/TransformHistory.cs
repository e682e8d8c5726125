namespace Vhw.Cli.Commands;

/// <summary>What changed in the transform and storage for issue 9, kept in BENCHMARKS.md next to the figures it explains.</summary>
static class TransformHistory
{
    public const string Markdown = """
        ### What the transform and storage figures reflect

        - Before: the intermediate layer materialised fact-sized tables (`int_head_facts_joined_to_models`,
          `int_head_facts_ranked_per_sample`: one row per fact, a full window sort for the per-sample ranks), and the
          bootstrap joined per-sample weights to every fact row per replicate. At 250M facts those tables alone are
          larger than the Parquet they are built from.
        - After: facts are aggregated per run and head in one pass (`int_attention_aggregated_to_run_head`), the latest
          run is chosen afterwards, ingest stores each head's per-sample rank (head_facts.image_rank) so top-N counts and
          rank means are plain aggregates (no sample is sorted in SQL), and since the seventh session one C# kernel pass
          per model over the latest runs' facts (`-- materialized: kernel head_reductions`,
          `int_facts_of_latest_runs_reduced_per_head`) gives the image_fraction percentiles (order statistics selected per head) and
          the bootstrap's weighted sums of every replicate (a dense samples × heads matrix times the samples ×
          replicates weights), read through DuckDB's C API in chunks (no boxed value per cell). Before the kernel
          (sixth session and earlier) the percentiles were DuckDB quantile_cont states per head and the sums one GROUP
          BY over the facts joined to their sample's per-replicate weights (a PIVOT, one column per replicate): one
          aggregate update per fact and replicate. The bootstrap weights are drawn once per sample id, not per model.
          Since the twelfth session the kernel ranks each replicate's head means (a SQL window did, 35–44 s at 1000
          replicates), and since the thirteenth it correlates them too, writing one row per run and replicate
          (`int_bootstrap_replicates_correlated_per_run`) instead of every head's 1000 means and ranks (2 GB, stored and
          then unnested by the mart).
        - Since the fourteenth session the replicate sums are one float64 GEMM of libtorch (MKL, through TorchSharp) over
          both metrics instead of a hand-tiled SIMD loop (about 22 GFMA/s on these 2 cores; the GEMM 40–75), the kernel
          streams its facts with one DuckDB thread (a streamed result comes at the pace of the thread fetching it; the
          other core places the facts), the bootstrap weight lists draw every replicate's uniform before its Poisson
          quantile (one lambda repeated the md5 in each of the quantile's ten branches: 6.5 → 3.3 s), and the head
          summaries' fallback is an empty plan when every fact part is summarised (it checked 3 840 parts: 3.3 s); the
          percentiles' order statistics come from bucket counts instead of quickselect (about 1.8× faster per head), and
          stg_head_facts is counted from the parts' Parquet footers (`-- counted as:`), not through the view (2 s).
        - Since the eleventh session the per-head statistics (`int_attention_aggregated_to_run_head`, 17 aggregates per
          fact, the core marts' cost) are combined from head summaries written once when ingest (or synth) finishes:
          per fact part and head, counts, sums and squared deviations (`macros/partial_aggregates.sql`). The transform
          checks each summary against its part's row count and aggregates the facts of parts without a usable one, so
          the anchor GROUP BY still reads every fact while the core marts read the summaries; writing them costs about
          one such aggregate, once per ingest, and is reported in the table above (the head summaries row).
        - DuckDB caches Parquet footers (`parquet_metadata_cache`): the head_facts view reads its parts with
          union_by_name, which otherwise opens every part's footer again in each statement that binds it; and while the
          runner builds one model's slice of a partitioned table, head_facts lists that model's parts only (the DuckDB
          variable vhw_model_scope), so each bind opens 240 footers instead of 3 840.
        - Storage: four columns that are exact functions of stored ones (text_fraction, three entropies) are derived in
          schema.sql's view instead of stored.
        - Codec: zstd. LZ4_RAW, measured in the ninth session, made the parts 6 % larger (one of the storage rows), the
          anchor GROUP BY 15 % faster and the whole transform only about 4 % faster at 250M facts (inside its
          run-to-run spread), so it was not adopted.
        """;
}
