using System.ComponentModel.DataAnnotations;
using Vhw.Ingest.Benchmarks.Sources;

namespace Vhw.Ingest.Worker;

/// <summary>
/// Options of one ingest run (section "Ingest" of appsettings.json, env VHW_Ingest__*, or `vhw ingest` flags).
/// </summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Model folders in HF llava format (config.json, safetensors, tokenizer.json, preprocessor_config.json).</summary>
    [MinLength(1, ErrorMessage = "give at least one model folder (--model)")]
    public List<string> Models { get; set; } = new();

    /// <summary>Benchmarks: a folder or file in a detected format, or "format:path" (questions, pope, mmbench, seed, qbench, pointqa).</summary>
    [MinLength(1, ErrorMessage = "give at least one benchmark folder (--benchmark)")]
    public List<string> Benchmarks { get; set; } = new();

    /// <summary>Warehouse root folder (Parquet tables live below it).</summary>
    [Required] public string Warehouse { get; set; } = "warehouse";

    /// <summary>answer_step2 (the authors' choice) or last_prompt.</summary>
    [RegularExpression("^(answer_step2|last_prompt)$", ErrorMessage = "query kind must be answer_step2 or last_prompt")]
    public string QueryKind { get; set; } = "answer_step2";

    [Range(1, 512)] public int MaxNewTokens { get; set; } = 4;

    /// <summary>Samples per part file (the unit of resumption).</summary>
    [Range(1, 100_000)] public int ChunkSize { get; set; } = 64;

    /// <summary>
    /// Samples generated together in one left-padded batch, inside a chunk (1 = one at a time). Facts equal batch size 1
    /// within float tolerance, so it is not part of the run id: a run may be resumed with another batch size.
    /// </summary>
    [Range(1, 1024)] public int BatchSize { get; set; } = 1;

    /// <summary>At most this many benchmark lines per benchmark (0 = all).</summary>
    [Range(0, int.MaxValue)] public int Limit { get; set; }

    [RegularExpression("^(float32|float16|bfloat16)$", ErrorMessage = "dtype must be float32, float16 or bfloat16")]
    public string Dtype { get; set; } = "float32";

    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "device must be cpu or cuda[:N]")]
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// "i/N": this worker ingests shard i of N (0-based). Samples are assigned by their position in the
    /// benchmark (position mod N), so N workers (Slurm array, Kubernetes job index, ...) write disjoint parts.
    /// </summary>
    [RegularExpression("^[0-9]+/[1-9][0-9]*$", ErrorMessage = "shard must look like i/N, e.g. 0/4")]
    public string Shard { get; set; } = "0/1";

    /// <summary>Folders searched first for the images named by POPE, SEED-Bench, Q-Bench and PointQA rows.</summary>
    public List<string> ImageRoots { get; set; } = new();

    /// <summary>Multiple choice (MMBench, SEED-Bench, Q-Bench): ask every rotation of the options (circular evaluation).</summary>
    public bool Circular { get; set; }

    public BenchmarkSourceOptions SourceOptions() => new(ImageRoots, Circular);

    /// <summary>Torch intra-op threads (0 = libtorch default).</summary>
    [Range(0, 256)] public int Threads { get; set; }
}
