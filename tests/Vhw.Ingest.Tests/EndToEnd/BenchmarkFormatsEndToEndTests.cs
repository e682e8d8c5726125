using Vhw.Ingest.Benchmarks.Fixtures;
using Vhw.Ingest.Default;
using Vhw.Ingest.Pipeline;
using Vhw.Ingest.Worker;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>The tiny default model over the generated POPE, MMBench (circular), SEED-Bench, Q-Bench and PointQA fixtures.</summary>
public sealed class IngestedFormats : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("vhw-formats-").FullName;
    public DefaultAssets.Paths Assets { get; }
    public BenchmarkFixtures.Paths Data { get; }
    public string Warehouse => Path.Combine(Root, "warehouse");
    public string[] Specs { get; }
    public IngestOutcome FirstRun { get; }

    public IngestedFormats()
    {
        Assets = DefaultAssets.Create(Path.Combine(Root, "default"), seed: 5, samples: 2);
        Data = BenchmarkFixtures.Write(Path.Combine(Root, "data"));
        File.AppendAllText(Path.Combine(Data.Pope, "coco_pope_random.json"),
            """{"question_id": 4, "image": "COCO_val2014_000000000404.jpg", "text": "Is there a cat in the image?", "label": "no"}""" + "\n");
        Specs = [Data.Pope, "mmbench:" + Data.MMBench, Data.Seed, Data.QBench, Data.PointQa];
        (int code, FirstRun) = Ingest(Warehouse);
        if (code != 0) throw new InvalidOperationException($"fixture ingest failed with exit code {code}: {FirstRun.Failure?.Message}");
    }

    public (int ExitCode, IngestOutcome Outcome) Ingest(string warehouse, string[]? specs = null, string shard = "0/1")
    {
        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = Assets.ModelDir, ["Warehouse"] = warehouse, ["ChunkSize"] = "5", ["Circular"] = "true", ["Shard"] = shard,
        };
        specs ??= Specs;
        for (int i = 0; i < specs.Length; i++) values[$"Benchmarks:{i}"] = specs[i];
        using var host = IngestHost.Build(values, configFile: null, showProgress: false);
        return IngestHost.RunAsync(host).GetAwaiter().GetResult();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class BenchmarkFormatsEndToEndTests(IngestedFormats w) : IClassFixture<IngestedFormats>
{
    static double Double(object? v) => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Every_format_is_ingested_and_named_after_its_folder_or_file()
    {
        Assert.Equal(["pope", "mmbench_dev_en", "SEED-Bench", "llvisionqa_dev", "pointQA_twice_test"], w.FirstRun.Jobs.Select(j => j.Benchmark));
        Assert.All(w.FirstRun.Jobs, j => Assert.True(j.Complete));
        Assert.Equal([9, 13, 16, 11, 9], w.FirstRun.Jobs.Select(j => j.Samples)); // MMBench / SEED / Q-Bench: every rotation
        var counts = Duck.Query(w.Warehouse, "select benchmark, count(*) from samples group by benchmark order by benchmark")
            .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1]));
        Assert.Equal(9, counts["pope"]);
        Assert.Equal(13, counts["mmbench_dev_en"]);
    }

    [Fact]
    public void Prompts_follow_the_benchmark_style_inside_the_model_template()
    {
        string mm = (string)Duck.Query(w.Warehouse, "select prompt from samples where benchmark = 'mmbench_dev_en' and sample_id = '1'")[0][0]!;
        Assert.EndsWith("USER: <image>\nThe image shows two shapes.\nWhich shape is blue?\nA. square\nB. triangle\nC. circle\nD. star\n" +
                        "Answer with the option's letter from the given choices directly. ASSISTANT:", mm);
        string pope = (string)Duck.Query(w.Warehouse, "select prompt from samples where benchmark = 'pope' and sample_id = 'random-1'")[0][0]!;
        Assert.EndsWith("USER: <image>\nIs there a red square in the image?\nAnswer the question using a single word or phrase. ASSISTANT:", pope);
        var box = Duck.Query(w.Warehouse, "select box_x1, box_y1, n_region_tokens from samples where sample_id = 'line3-super'")[0];
        Assert.Equal((64.0, 16.0), (Double(box[0]), Double(box[1])));
        Assert.True(Convert.ToInt32(box[2]) > 0);
    }

    [Fact]
    public void A_missing_image_is_a_reject_with_file_and_line_and_the_rest_is_ingested()
    {
        var reject = Assert.Single(Duck.Query(w.Warehouse, "select benchmark, source_file, line, sample_id, field, reason from rejects"));
        Assert.Equal("pope", reject[0]);
        Assert.EndsWith("coco_pope_random.json", (string)reject[1]!);
        Assert.Equal((4L, "random-4", "image"), (Convert.ToInt64(reject[2]), (string)reject[3]!, (string)reject[4]!));
        Assert.StartsWith("file not found: COCO_val2014_000000000404.jpg", (string)reject[5]!);
    }

    [Fact]
    public void Benchmark_scores_agree_with_samples_correct()
    {
        // short answers and POPE: accuracy = mean(correct) over every sample, per subset too
        foreach (var (benchmark, subsetKind, column) in new[] { ("pope", "split", "split_part(sample_id, '-', 1)"), ("pointQA_twice_test", "question_type", "split_part(sample_id, '-', 2)") })
        {
            var rows = Duck.Query(w.Warehouse, $"""
                with s as (select {column} as subset, correct from samples where benchmark = '{benchmark}')
                select b.subset, b.value, b.n_samples, (select avg(correct::int) from s where s.subset = b.subset or b.subset = 'all'),
                       (select count(*) from s where s.subset = b.subset or b.subset = 'all')
                from benchmark_scores b where b.benchmark = '{benchmark}' and b.metric = 'accuracy' and b.subset_kind in ('all', '{subsetKind}')
                """);
            Assert.Equal(4, rows.Count);
            Assert.All(rows, r => Assert.Equal(Double(r[3]), Double(r[1]), 12));
            Assert.All(rows, r => Assert.Equal(Convert.ToInt64(r[4]), Convert.ToInt64(r[2])));
        }
        // circular multiple choice: accuracy over round-0 samples, circular_accuracy = every round of a question right
        var mc = Duck.Query(w.Warehouse, """
            with s as (select split_part(sample_id, '-', 1) as question, sample_id not like '%-r%' as round0, correct
                       from samples where benchmark = 'mmbench_dev_en'),
                 q as (select question, bool_and(correct) as all_right, bool_or(round0 and correct) as first_right from s group by question)
            select (select value from benchmark_scores where benchmark = 'mmbench_dev_en' and subset = 'all' and metric = 'accuracy'),
                   avg(first_right::int),
                   (select value from benchmark_scores where benchmark = 'mmbench_dev_en' and subset = 'all' and metric = 'circular_accuracy'),
                   avg(all_right::int), count(*)
            from q
            """)[0];
        Assert.Equal(Double(mc[1]), Double(mc[0]), 12);
        Assert.Equal(Double(mc[3]), Double(mc[2]), 12);
        Assert.Equal(4L, Convert.ToInt64(mc[4]));
        Assert.Equal(["accuracy", "f1", "precision", "recall", "yes_ratio"],
            Duck.Query(w.Warehouse, "select distinct metric from benchmark_scores where benchmark = 'pope' order by 1").Select(r => (string)r[0]!));
        Assert.Equal(["mmbench", "pointqa", "pope", "qbench", "seed"],
            Duck.Query(w.Warehouse, "select distinct format from benchmark_scores order by 1").Select(r => (string)r[0]!));
    }

    [Fact]
    public void A_lost_scores_part_is_rewritten_by_a_rerun_and_the_transform_runs()
    {
        string copy = Path.Combine(w.Root, "rerun-" + Guid.NewGuid().ToString("N")[..8]);
        IngestEndToEndTests.CopyDir(w.Warehouse, copy);
        string scores = Path.Combine(copy, BenchmarkScores.Table);
        var before = Duck.Checksum(copy, "benchmark_scores");
        File.Delete(Directory.GetFiles(Path.Combine(scores, "model=tiny-llava-vicuna", "benchmark=pope")).Single());

        var (code, outcome) = w.Ingest(copy);

        Assert.Equal(0, code);
        Assert.All(outcome.Jobs, j => Assert.True(j.Skipped));
        Assert.Equal(before, Duck.Checksum(copy, "benchmark_scores"));
        var result = new TransformRunner().Run(copy);
        Assert.True(File.Exists(result.DatabasePath));
    }

    [Fact]
    public void Shards_write_the_scores_once_all_of_them_are_complete()
    {
        string wh = Path.Combine(w.Root, "shards-" + Guid.NewGuid().ToString("N")[..8]);
        string scores = Path.Combine(wh, BenchmarkScores.Table);

        Assert.Equal(0, w.Ingest(wh, [w.Data.Pope], shard: "1/2").ExitCode);
        Assert.False(Directory.Exists(scores)); // shard 0 is still missing

        Assert.Equal(0, w.Ingest(wh, [w.Data.Pope], shard: "0/2").ExitCode);
        Assert.Single(Directory.GetFiles(scores, "*", SearchOption.AllDirectories));
        const string sql = "select subset, metric, value, n_samples from benchmark_scores where benchmark = 'pope' order by all";
        Assert.Equal(Duck.Query(w.Warehouse, sql).Select(r => string.Join('|', r)), Duck.Query(wh, sql).Select(r => string.Join('|', r)));
    }
}
