using System.ComponentModel.DataAnnotations;
using Vhw.Ingest.Benchmarks.Sources;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// Options of one `vhw ablate` run (section "Ablate" of appsettings.json / --config, env VHW_Ablate__*, or flags).
/// Empty lists mean the defaults (configuration binding appends to non-empty defaults, so they are applied in code).
/// </summary>
public sealed class AblationOptions
{
    public const string Section = "Ablate";

    [MinLength(1, ErrorMessage = "give at least one model folder (--model)")]
    public List<string> Models { get; set; } = new();

    [MinLength(1, ErrorMessage = "give at least one benchmark folder (--benchmark)")]
    public List<string> Benchmarks { get; set; } = new();

    /// <summary>Warehouse root: head_scores are read from its warehouse.duckdb, results written below it.</summary>
    [Required] public string Warehouse { get; set; } = "warehouse";

    /// <summary>maskout (the authors' operation) and/or zero_output; default maskout.</summary>
    public List<string> Modes { get; set; } = new();

    /// <summary>Explicit selections (top:K, random:K:SEED[:STAGE], stage:S[:K], list:L.H,…); empty = the standard sweep.</summary>
    public List<string> Select { get; set; } = new();

    /// <summary>Sweep points as percentages of all heads; default 1, 2, 5, 10, 20 (0 = the baseline, always run).</summary>
    public List<double> Percents { get; set; } = new();

    /// <summary>Late-stage removal counts; default 10, 20, 50, 100 (those the late stage holds, plus all late heads when fewer than the largest).</summary>
    public List<int> LateCounts { get; set; } = new();

    /// <summary>Random selections per sweep point (the paper's control is a distribution; at least 20 recommended).</summary>
    [Range(1, 1000)] public int Draws { get; set; } = 20;

    /// <summary>head_scores column that ranks heads for top:, stage:S:K and the random exclusion.</summary>
    public string Score { get; set; } = "mean_image_fraction";

    /// <summary>"same" = the scores of the benchmark being ablated; "pooled" = mean over the model's benchmarks; or a benchmark name.</summary>
    public string ScoreBenchmark { get; set; } = "same";

    /// <summary>Query kind of the head_scores rows to rank by.</summary>
    [RegularExpression("^(answer_step2|last_prompt)$", ErrorMessage = "query kind must be answer_step2 or last_prompt")]
    public string QueryKind { get; set; } = "answer_step2";

    [Range(1, 512)] public int MaxNewTokens { get; set; } = 4;

    [Range(1, 100_000)] public int ChunkSize { get; set; } = 64;

    [Range(0, int.MaxValue)] public int Limit { get; set; }

    [RegularExpression("^(float32|float16|bfloat16)$", ErrorMessage = "dtype must be float32, float16 or bfloat16")]
    public string Dtype { get; set; } = "float32";

    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "device must be cpu or cuda[:N]")]
    public string Device { get; set; } = "cpu";

    [Range(0, 256)] public int Threads { get; set; }

    /// <summary>Folders searched first for the images named by POPE, SEED-Bench, Q-Bench and PointQA rows (as for ingest).</summary>
    public List<string> ImageRoots { get; set; } = new();

    /// <summary>Multiple choice: ask every rotation of the options (as for ingest); each rotation is scored as a sample.</summary>
    public bool Circular { get; set; }

    /// <summary>How the benchmarks are opened: the same formats and options as `vhw ingest`.</summary>
    public BenchmarkSourceOptions SourceOptions() => new(ImageRoots, Circular);

    public IReadOnlyList<string> EffectiveModes => Modes.Count > 0 ? Modes.Distinct().ToList() : ["maskout"];
    public IReadOnlyList<double> EffectivePercents => Percents.Count > 0 ? Percents : [1, 2, 5, 10, 20];
    public IReadOnlyList<int> EffectiveLateCounts => LateCounts.Count > 0 ? LateCounts : [10, 20, 50, 100];
}
