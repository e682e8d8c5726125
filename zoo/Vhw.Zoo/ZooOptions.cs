using Vhw.Zoo.Data;
using Vhw.Zoo.Training;

namespace Vhw.Zoo;

/// <summary>What `vhw zoo` runs. Step/batch overrides apply to every selected model (for quick runs and tests).</summary>
public sealed record ZooOptions
{
    /// <summary>Working folder: data/, shared/, vision/, runs/ (checkpoints, loss.csv), models/ (HF folders), zoo.md.</summary>
    public string Root { get; init; } = "artifacts/zoo";
    /// <summary>Model names (e.g. vicuna-s1); empty = all 16 members.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
    public ZooDataSpec Data { get; init; } = new();
    public VisionSpec Vision { get; init; } = new();
    public int? Stage1Steps { get; init; }
    public int? Stage2Steps { get; init; }
    public int? BatchSize { get; init; }
    /// <summary>Peak learning rate of both stages.</summary>
    public double? Lr { get; init; }
    /// <summary>Stage 1 trains the projector only (LLaVA's own stage 1), not the decoder too as the zoo's recipe does.</summary>
    public bool Stage1ProjectorOnly { get; init; }
    /// <summary>Test samples scored per benchmark (null = all).</summary>
    public int? EvalLimit { get; init; } = 300;
    /// <summary>Copy finished models here (fp16 HF folders + training/eval json + loss.csv), e.g. zoo/models.</summary>
    public string? FixturesDir { get; init; }
    /// <summary>Stop training after this many seconds in this session (checkpoint kept; rerun resumes). Null = no limit.</summary>
    public double? TimeBudgetSeconds { get; init; }
    /// <summary>Write data/ and shared/ (tokenizer, processor config), then stop: no vision tower, no training.</summary>
    public bool DataOnly { get; init; }
    /// <summary>Write only data/test/ (the five benchmarks ingest reads, byte-identical to the full generation), then stop.</summary>
    public bool TestDataOnly { get; init; }

    public IReadOnlyList<ZooModelSpec> Selected()
    {
        var specs = Models.Count == 0 ? ZooModelSpec.All.ToList() : Models.Select(ZooModelSpec.Find).ToList();
        return specs.Select(s => s with
        {
            Stage1Steps = Stage1Steps ?? s.Stage1Steps, Stage2Steps = Stage2Steps ?? s.Stage2Steps, BatchSize = BatchSize ?? s.BatchSize,
            Stage1Lr = Lr ?? s.Stage1Lr, Stage2Lr = Lr ?? s.Stage2Lr, Stage1TrainsDecoder = s.Stage1TrainsDecoder && !Stage1ProjectorOnly,
        }).ToList();
    }
}
