using System.Globalization;

namespace Vhw.Transform.Synthetic;

/// <summary>
/// The SQL that generates one synthetic run (see <see cref="SyntheticWarehouseWriter"/>). Every random number is
/// <c>u(a, b, c, d)</c>, a uniform in [0, 1) from DuckDB's <c>hash</c> of its arguments, so a rebuild with the same
/// seed writes the same values, and a sample's draws (u(seed, benchmark, sample, k)) are shared by every model.
/// Column names and types are those of ingest's Parquet writer (ingest/Vhw.Ingest/Storage/Rows/*.cs): ids VARCHAR,
/// layer/head SMALLINT, counts INTEGER, metrics FLOAT; model and benchmark are hive partition keys (path only).
/// </summary>
internal static class SyntheticSql
{
    /// <summary>Image tokens per sample (LLaVA-1.5: 24 × 24 patches of a 336-pixel image).</summary>
    public const int ImageTokens = 576;

    public const string Macros = """
        create or replace macro u(a, b, c, d) as cast(hash(a, b, c, d) >> 11 as double) / 9007199254740992.0;
        """;

    /// <summary>Per-sample draws; the same formulas feed head_facts and samples, so both tables agree.</summary>
    static string SampleColumns(SyntheticRun r) => Invariant($"""
                0.75 + 0.5 * u({r.Seed}, {r.BenchmarkIndex}, s, 10) as demand,
                35 + cast(floor(60 * u({r.Seed}, {r.BenchmarkIndex}, s, 11)) as integer) as n_text,
                s % 3 = 0 as has_box,
                16 + cast(floor(200 * u({r.Seed}, {r.BenchmarkIndex}, s, 12)) as integer) as box_tokens
        """);

    /// <summary>
    /// head_facts of samples [s0, s1) of one run, in ingest's order (sample, layer, head: the order of range(), which
    /// DuckDB preserves). A sparse set of visual
    /// heads (shared within a family, more of them in the early and middle layers) put most of their attention on
    /// the image and concentrate it when active (each in a head-specific share of the samples); every other head puts
    /// 8–30 % on the image, spread near evenly. Samples vary in how visual they are (demand), every value has
    /// per-(sample, head) noise, a third of the samples have a box (region_* NULL otherwise), and top-1 share follows
    /// from the concentration: top-1 ≥ e^−H, H = (1 − c) · ln|S|. Like ingest, the four derivable columns (entropies,
    /// text_fraction) are not written (schema.sql derives them), and each head's rank in its sample is (image_rank, the
    /// order of ingest's HeadRanks: image_fraction descending, then layer, then head).
    /// </summary>
    public static string Facts(SyntheticRun r, int s0, int s1)
    {
        int hl = r.Layers * r.Heads, stream = r.ModelIndex * 64 + r.BenchmarkIndex;
        return Invariant($"""
            with cells as (
                select i // {hl} as s, cast((i % {hl}) // {r.Heads} as smallint) as layer,
                    cast(i % {r.Heads} as smallint) as head, i % {hl} as h, i
                from range({(long)s0 * hl}, {(long)s1 * hl}) as t(i)
            ),
            drawn as (
                select
                    s, layer, head,
                    {SampleColumns(r)},
                    u({r.Seed}, {r.Family}, h, 2) < case when layer < {r.Layers * 5 / 8} then 0.07 else 0.025 end
                        or u({r.Seed}, {r.ModelIndex} + 100, h, 1) < 0.008 as is_visual,
                    0.55 + 0.45 * u({r.Seed}, {r.ModelIndex} + 100, h, 3) as p_active,
                    0.08 + 0.22 * u({r.Seed}, {r.ModelIndex} + 100, h, 4) as base_fraction,
                    0.05 + 0.20 * u({r.Seed}, {r.ModelIndex} + 100, h, 5) as base_concentration,
                    0.50 + 0.35 * u({r.Seed}, {r.ModelIndex} + 100, h, 6) as visual_fraction,
                    {r.ModelConcentration} + 0.25 * u({r.Seed}, {r.ModelIndex} + 100, h, 7) as visual_concentration,
                    u({r.Seed}, {stream}, i, 20) as e1, u({r.Seed}, {stream}, i, 21) as e2,
                    u({r.Seed}, {stream}, i, 22) as e3, u({r.Seed}, {stream}, i, 23) as e4,
                    u({r.Seed}, {stream}, i, 24) as e5, u({r.Seed}, {stream}, i, 25) as e6
                from cells
            ),
            image as (
                select
                    *,
                    {ImageTokens} + n_text as n_keys,
                    is_visual and e3 < p_active as active,
                    case when is_visual and e3 < p_active
                        then least(0.98, visual_fraction * demand * (0.85 + 0.3 * e1))
                        else least(0.95, base_fraction * demand * (0.6 + 0.8 * e1)) end as fi,
                    case when is_visual and e3 < p_active
                        then least(0.97, visual_concentration * (0.85 + 0.3 * e2))
                        else base_concentration * (0.6 + 0.8 * e2) end as ci,
                    0.35 + 0.5 * e6 as ct
                from drawn
            ),
            sets as (
                select
                    *,
                    (1 - ci) * ln({ImageTokens}) as hi,
                    (1 - ct) * ln(n_text) as ht,
                    case when has_box then fi * least(1, box_tokens / {ImageTokens}.0 * (0.5 + 2.5 * e5)) end as fr,
                    case when has_box then least(0.99, ci * (0.8 + 0.4 * e6)) end as cr
                from image
            )
            select
                '{r.RunId}' as run_id,
                '{r.Benchmark}-' || lpad(cast(s as varchar), 6, '0') as sample_id,
                'answer_step2' as query_kind,
                layer,
                head,
                n_keys,
                {ImageTokens} as n_image_tokens,
                case when has_box then box_tokens else 0 end as n_region_tokens,
                n_text as n_text_tokens,
                cast(fi as float) as image_fraction,
                cast(ci as float) as image_concentration,
                cast(least(1, exp(-hi) * (1 + 2 * e4)) as float) as image_top1_share,
                cast(row_number() over (partition by s order by cast(fi as float) desc, layer, head) as smallint) as image_rank,
                cast(fr as float) as region_fraction,
                cast(cr as float) as region_concentration,
                cast(case when has_box then least(1, exp(-(1 - cr) * ln(box_tokens)) * (1 + e4)) end as float) as region_top1_share,
                cast(ct as float) as text_concentration,
                cast(least(1, exp(-ht) * (1 + e5)) as float) as text_top1_share
            from sets
            order by s, layer, head
            """);
    }

    /// <summary>samples rows of samples [s0, s1): token layout as in head_facts; correct with the model's accuracy.</summary>
    public static string Samples(SyntheticRun r, int s0, int s1) => Invariant($"""
        with drawn as (
            select s, {SampleColumns(r)}
            from range({s0}, {s1}) as t(s)
        )
        select
            '{r.RunId}' as run_id,
            '{r.Benchmark}-' || lpad(cast(s as varchar), 6, '0') as sample_id,
            'answer_step2' as query_kind,
            'images/{r.Benchmark}-' || lpad(cast(s as varchar), 6, '0') || '.jpg' as image_file,
            'Is there a ' || (['cat', 'dog', 'car', 'person', 'chair'])[1 + s % 5] || ' in the image?' as question,
            '<image>' || chr(10) || 'Is there a ' || (['cat', 'dog', 'car', 'person', 'chair'])[1 + s % 5]
                || ' in the image? Answer the question using a single word or phrase.' as prompt,
            case when u({r.Seed}, {r.BenchmarkIndex}, s, 13) < 0.5 then 'yes' else 'no' end as answer,
            case when (u({r.Seed}, {r.ModelIndex} + 200, s, 14) < {r.Accuracy})
                = (u({r.Seed}, {r.BenchmarkIndex}, s, 13) < 0.5) then 'yes' else 'no' end as prediction,
            u({r.Seed}, {r.ModelIndex} + 200, s, 14) < {r.Accuracy} as correct,
            {ImageTokens} + n_text - 1 as n_prompt_tokens,
            {ImageTokens} + n_text as n_keys,
            5 as image_start,
            {ImageTokens} as n_image_tokens,
            case when has_box then box_tokens else 0 end as n_region_tokens,
            cast(case when has_box then 20 + 100 * u({r.Seed}, {r.BenchmarkIndex}, s, 15) end as float) as box_x0,
            cast(case when has_box then 20 + 100 * u({r.Seed}, {r.BenchmarkIndex}, s, 16) end as float) as box_y0,
            cast(case when has_box then 140 + 150 * u({r.Seed}, {r.BenchmarkIndex}, s, 17) end as float) as box_x1,
            cast(case when has_box then 140 + 150 * u({r.Seed}, {r.BenchmarkIndex}, s, 18) end as float) as box_y1,
            case when (u({r.Seed}, {r.ModelIndex} + 200, s, 14) < {r.Accuracy})
                = (u({r.Seed}, {r.BenchmarkIndex}, s, 13) < 0.5) then 3869 else 1939 end as first_token_id,
            2 as n_generated_tokens
        from drawn
        """);

    /// <summary>The runs row of a complete, unsharded run.</summary>
    public static string Run(SyntheticRun r, DateTime startedAt, DateTime finishedAt) => Invariant($"""
        select
            '{r.RunId}' as run_id, 'answer_step2' as query_kind,
            '{ConfigJson(r)}' as config_json,
            'synthetic' as vhw_version, '' as torchsharp_version, 'float16' as dtype, 'synthetic' as device,
            timestamp '{startedAt:yyyy-MM-dd HH:mm:ss}' as started_at, timestamp '{finishedAt:yyyy-MM-dd HH:mm:ss}' as finished_at,
            {r.Samples} as n_samples, 0 as n_rejects, 'complete' as status, 0 as shard_index, 1 as shard_count
        """);

    /// <summary>The benchmark_scores row of a run: accuracy over all its samples (read back from its samples parts).</summary>
    public static string Scores(SyntheticRun r, string samplesGlob) => Invariant($"""
        select
            '{r.RunId}' as run_id, 'questions' as format, 'all' as subset_kind, 'all' as subset, 'accuracy' as metric,
            avg(cast(correct as double)) as value, cast(count(*) as integer) as n_samples
        from read_parquet('{samplesGlob}')
        """);

    /// <summary>The models row of a synthetic 32-layer-style decoder.</summary>
    public static string Model(SyntheticModel m, string weightsSha256) => Invariant($"""
        select
            '{m.Family}' as family, '{m.Scale}' as scale, 'synthetic://{m.Name}' as source_dir,
            '{weightsSha256}' as weights_sha256, 'float16' as dtype, {m.Layers} as n_layers, {m.Heads} as n_heads,
            {m.Heads} as n_kv_heads, {m.Heads * 128} as hidden_size, 128 as head_dim, 24 as vision_layers,
            {ImageTokens} as n_image_tokens, cast({m.Params} as bigint) as n_params
        """);

    static string ConfigJson(SyntheticRun r) =>
        System.Text.Json.JsonSerializer.Serialize(new { r.Model, r.Benchmark, Synthetic = true, r.Seed, r.Samples });

    static string Invariant(FormattableString sql) => sql.ToString(CultureInfo.InvariantCulture);
}
