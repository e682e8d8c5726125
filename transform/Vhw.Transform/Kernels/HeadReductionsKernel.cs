using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Vhw.Transform.Kernels;

/// <summary>
/// One pass over the facts of a model's latest runs for what SQL does slowly on them (int_facts_of_latest_runs_reduced_per_head):
/// per run and head, the bootstrap's weighted sums of every replicate (<see cref="ReplicateSumsKernel"/>: a matrix
/// product instead of one SQL aggregate update per fact and replicate) and the p10 / median / p90 of image_fraction
/// (<see cref="LinearQuantile"/>: one sort per head instead of DuckDB's per-group quantile state). The bootstrap
/// weights and their formula stay in SQL (macros/bootstrap.sql); the kernel reads them.
/// Inputs (the model's two selects, in this order; columns named and typed exactly so):
/// <list type="number">
/// <item>weights: <c>run_index integer, sample_index integer, replicate integer, weight double</c>, one row per sample
/// of a run and replicate 1..R (sample_index 0-based and dense within its run);</item>
/// <item>facts: <c>run_index integer, sample_index integer, layer integer, head integer, image_fraction double,
/// image_concentration double</c>.</item>
/// </list>
/// Output: one row per run and head with a fact; element i of each list is replicate i + 1.
/// </summary>
public sealed class HeadReductionsKernel : IModelKernel
{
    public string Name => "head_reductions";

    public int Inputs => 2;

    public string OutputColumns =>
        "model varchar, run_index integer, layer integer, head integer, " +
        "p10_image_fraction double, median_image_fraction double, p90_image_fraction double, " +
        "fraction_sums double[], fraction_weights double[], concentration_sums double[], concentration_weights double[]";

    private static readonly double[] Percentiles = [0.1, 0.5, 0.9];

    // Heads whose values are gathered in one pass over the samples.
    private const int GatherBlock = 64;

    private static readonly (string, DuckDBType)[] WeightColumns =
        [("run_index", DuckDBType.Integer), ("sample_index", DuckDBType.Integer), ("replicate", DuckDBType.Integer), ("weight", DuckDBType.Double)];

    private static readonly (string, DuckDBType)[] FactColumns =
    [
        ("run_index", DuckDBType.Integer), ("sample_index", DuckDBType.Integer), ("layer", DuckDBType.Integer), ("head", DuckDBType.Integer),
        ("image_fraction", DuckDBType.Double), ("image_concentration", DuckDBType.Double),
    ];

    public void Build(DuckDBConnection connection, IReadOnlyList<string> inputs, string partitionValue, DuckDB.NET.Data.DuckDBAppender output,
        int threads, CancellationToken ct)
    {
        var runs = new SortedDictionary<int, RunFacts>();
        ReadWeights(connection, inputs[0], runs, ct);
        int replicates = runs.Values.Select(r => r.Weights.Count).DefaultIfEmpty(0).Max();
        ReadFacts(connection, inputs[1], runs, ct);
        foreach (var (index, run) in runs)
        {
            ct.ThrowIfCancellationRequested();
            var heads = run.Heads;
            if (heads.Count == 0) continue; // a run whose samples have no facts has no head to write
            var (fraction, concentration) = ReplicateSumsKernel.Multiply(run, replicates, threads);
            var percentiles = FractionPercentiles(run, threads);
            foreach (int h in Enumerable.Range(0, heads.Count).OrderBy(h => heads[h].Layer).ThenBy(h => heads[h].Head))
            {
                output.CreateRow()
                    .AppendValue(partitionValue).AppendValue((int?)index).AppendValue((int?)heads[h].Layer).AppendValue((int?)heads[h].Head)
                    .AppendValue(percentiles[h][0]).AppendValue(percentiles[h][1]).AppendValue(percentiles[h][2])
                    .AppendValue(Column(fraction.Sums, h)).AppendValue(Column(fraction.Weights, h))
                    .AppendValue(Column(concentration.Sums, h)).AppendValue(Column(concentration.Weights, h))
                    .EndRow();
            }
        }
    }

    // every head's image_fraction values (one per sample holding one, plus any second ones), then its percentiles
    private static double?[][] FractionPercentiles(RunFacts run, int threads)
    {
        int heads = run.Heads.Count;
        var values = new double[heads][];
        var counts = new int[heads];
        for (int h = 0; h < heads; h++) values[h] = new double[run.Samples];
        for (int first = 0; first < heads; first += GatherBlock) // a block of heads' buffers stays in cache
        {
            int last = Math.Min(heads, first + GatherBlock);
            for (int s = 0; s < run.Samples; s++)
            {
                if (run.Fraction.Values(s) is not { } row) continue;
                var present = run.Fraction.Present(s)!;
                for (int h = first; h < last; h++)
                    if (present[h] > 0) values[h][counts[h]++] = row[h];
            }
        }
        foreach (var (_, slot, value) in run.Fraction.Extra)
        {
            if (counts[slot] == values[slot].Length) Array.Resize(ref values[slot], values[slot].Length * 2);
            values[slot][counts[slot]++] = value;
        }
        var result = new double?[heads][];
        Parallel.For(0, heads, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            h => result[h] = LinearQuantile.Of(values[h].AsSpan(0, counts[h]), Percentiles));
        return result;
    }

    private static double[] Column(double[][] matrix, int column)
    {
        var result = new double[matrix.Length];
        for (int r = 0; r < matrix.Length; r++) result[r] = matrix[r][column];
        return result;
    }

    private static unsafe void ReadWeights(DuckDBConnection connection, string sql, SortedDictionary<int, RunFacts> runs, CancellationToken ct) =>
        ChunkStream.ForEach(connection, sql, WeightColumns, chunk =>
        {
            var run = chunk.Values<int>(0);
            var sample = chunk.Values<int>(1);
            var replicate = chunk.Values<int>(2);
            var weight = chunk.Values<double>(3);
            ulong* valid = chunk.Validity(3);
            for (int i = 0; i < chunk.Count; i++)
            {
                if (sample[i] < 0 || replicate[i] < 1)
                    throw new KernelException($"bootstrap weights: sample_index {sample[i]} / replicate {replicate[i]} out of range (sample_index ≥ 0, replicate ≥ 1)");
                if (!runs.TryGetValue(run[i], out var r)) runs[run[i]] = r = new RunFacts();
                r.SetWeight(replicate[i], sample[i], ChunkStream.Chunk.IsValid(valid, i) ? weight[i] : 0);
            }
        }, ct);

    private static unsafe void ReadFacts(DuckDBConnection connection, string sql, SortedDictionary<int, RunFacts> runs, CancellationToken ct) =>
        ChunkStream.ForEach(connection, sql, FactColumns, chunk =>
        {
            var run = chunk.Values<int>(0);
            var sample = chunk.Values<int>(1);
            var layer = chunk.Values<int>(2);
            var head = chunk.Values<int>(3);
            var fraction = chunk.Values<double>(4);
            var concentration = chunk.Values<double>(5);
            ulong* fractionValid = chunk.Validity(4), concentrationValid = chunk.Validity(5);
            RunFacts? r = null;
            int current = -1;
            for (int i = 0; i < chunk.Count; i++)
            {
                if (r is null || current != run[i])
                {
                    if (!runs.TryGetValue(run[i], out r))
                        throw new KernelException($"head facts: run_index {run[i]} has no bootstrap weights");
                    current = run[i];
                }
                int s = sample[i];
                if ((uint)s >= (uint)r.Samples)
                    throw new KernelException($"head facts: sample_index {s} of run_index {run[i]} has no bootstrap weights (the run has {r.Samples} samples)");
                int slot = r.Slot(layer[i], head[i]);
                if (ChunkStream.Chunk.IsValid(fractionValid, i)) r.Fraction.Add(s, slot, fraction[i]);
                if (ChunkStream.Chunk.IsValid(concentrationValid, i)) r.Concentration.Add(s, slot, concentration[i]);
            }
        }, ct);
}
