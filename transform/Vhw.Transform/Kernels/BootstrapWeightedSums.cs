using System.Numerics.Tensors;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Vhw.Transform.Kernels;

/// <summary>
/// The weighted sums of the Poisson bootstrap over samples (weight_concentration_corr; the weights and their formula
/// are SQL, macros/bootstrap.sql). For every head of a run and every replicate r:
/// <c>fraction_sum[r] = Σ_s w(r, s) × image_fraction(s)</c> and <c>fraction_weight[r] = Σ_s w(r, s)</c> over the
/// samples s whose fact holds an image_fraction (the same for image_concentration). That is a matrix product
/// (heads × samples) · (samples × replicates): the facts are read once into a dense matrix per run and multiplied,
/// so the cost is one scan of the facts plus heads × samples × replicates multiply-adds at vector speed, where a SQL
/// GROUP BY pays one aggregate update per fact and replicate. A fact row listed twice counts twice, as in a SQL sum.
/// Inputs (the model's two selects, in this order; columns named and typed exactly so):
/// <list type="number">
/// <item>weights: <c>run_index integer, sample_index integer, replicate integer, weight double</c>, one row per sample
/// of a run and replicate 1..R (sample_index 0-based and dense within its run);</item>
/// <item>facts: <c>run_index integer, sample_index integer, layer integer, head integer, image_fraction double,
/// image_concentration double</c>.</item>
/// </list>
/// Output: one row per run and head; element i of each list is replicate i + 1.
/// </summary>
public sealed class BootstrapWeightedSums : IModelKernel
{
    public string Name => "bootstrap_weighted_sums";

    public int Inputs => 2;

    public string OutputColumns =>
        "model varchar, run_index integer, layer integer, head integer, " +
        "fraction_sums double[], fraction_weights double[], concentration_sums double[], concentration_weights double[]";

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
        var runs = new SortedDictionary<int, Run>();
        ReadWeights(connection, inputs[0], runs, ct);
        int replicates = runs.Values.Select(r => r.Weights.Count).DefaultIfEmpty(0).Max();
        ReadFacts(connection, inputs[1], runs, ct);
        foreach (var (index, run) in runs)
        {
            ct.ThrowIfCancellationRequested();
            if (run.HeadCount == 0) continue; // a run whose samples have no facts has no head to write
            var sums = Multiply(run, replicates, threads);
            var heads = run.Heads;
            foreach (int h in Enumerable.Range(0, heads.Count).OrderBy(h => heads[h].Layer).ThenBy(h => heads[h].Head))
            {
                output.CreateRow()
                    .AppendValue(partitionValue).AppendValue((int?)index).AppendValue((int?)heads[h].Layer).AppendValue((int?)heads[h].Head)
                    .AppendValue(sums[h].FractionSums).AppendValue(sums[h].FractionWeights)
                    .AppendValue(sums[h].ConcentrationSums).AppendValue(sums[h].ConcentrationWeights)
                    .EndRow();
            }
        }
    }

    private static unsafe void ReadWeights(DuckDBConnection connection, string sql, SortedDictionary<int, Run> runs, CancellationToken ct) =>
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
                if (!runs.TryGetValue(run[i], out var r)) runs[run[i]] = r = new Run();
                r.SetWeight(replicate[i], sample[i], ChunkStream.Chunk.IsValid(valid, i) ? weight[i] : 0);
            }
        }, ct);

    private static unsafe void ReadFacts(DuckDBConnection connection, string sql, SortedDictionary<int, Run> runs, CancellationToken ct) =>
        ChunkStream.ForEach(connection, sql, FactColumns, chunk =>
        {
            var run = chunk.Values<int>(0);
            var sample = chunk.Values<int>(1);
            var layer = chunk.Values<int>(2);
            var head = chunk.Values<int>(3);
            var fraction = chunk.Values<double>(4);
            var concentration = chunk.Values<double>(5);
            ulong* fractionValid = chunk.Validity(4), concentrationValid = chunk.Validity(5);
            Run? r = null;
            for (int i = 0; i < chunk.Count; i++)
            {
                if (r is null || r.Index != run[i])
                {
                    if (!runs.TryGetValue(run[i], out r))
                        throw new KernelException($"bootstrap facts: run_index {run[i]} has no weights");
                    r.Index = run[i];
                }
                int s = sample[i];
                if ((uint)s >= (uint)r.Samples)
                    throw new KernelException($"bootstrap facts: sample_index {s} of run_index {run[i]} has no weights (the run has {r.Samples} samples)");
                int slot = r.Slot(layer[i], head[i]);
                if (ChunkStream.Chunk.IsValid(fractionValid, i)) r.Fraction.Add(s, slot, fraction[i]);
                if (ChunkStream.Chunk.IsValid(concentrationValid, i)) r.Concentration.Add(s, slot, concentration[i]);
            }
        }, ct);

    private sealed record HeadSums(double[] FractionSums, double[] FractionWeights, double[] ConcentrationSums, double[] ConcentrationWeights);

    // (replicates × samples) · (samples × heads): a sample's row of every head (its facts, stored sample-major as they
    // arrive) is added, times the sample's weight, to the rows of a block of replicates, so each row is read once per
    // block; blocks of replicates run in parallel. A weight of 0 (a sample the replicate does not draw) adds nothing.
    private static HeadSums[] Multiply(Run run, int replicates, int threads)
    {
        int heads = run.HeadCount;
        var fractionSums = Matrix(replicates, heads);
        var fractionWeights = Matrix(replicates, heads);
        var concentrationSums = Matrix(replicates, heads);
        var concentrationWeights = Matrix(replicates, heads);
        int blocks = (run.Weights.Count + ReplicateBlock - 1) / ReplicateBlock;
        // where every head holds exactly one value per sample (the usual case) a head's weight is the replicate's total
        bool fractionComplete = run.Fraction.IsComplete(heads), concentrationComplete = run.Concentration.IsComplete(heads);
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, block =>
        {
            int first = block * ReplicateBlock, last = Math.Min(run.Weights.Count, first + ReplicateBlock);
            for (int s = 0; s < run.Samples; s++)
            {
                for (int r = first; r < last; r++)
                {
                    double w = run.Weights[r][s];
                    if (w == 0) continue;
                    run.Fraction.AddTimes(s, w, fractionSums[r], fractionComplete ? null : fractionWeights[r]);
                    run.Concentration.AddTimes(s, w, concentrationSums[r], concentrationComplete ? null : concentrationWeights[r]);
                }
            }
            for (int r = first; r < last; r++)
            {
                double total = TensorPrimitives.Sum(run.Weights[r].AsSpan(0, run.Samples));
                if (fractionComplete) fractionWeights[r].AsSpan().Fill(total);
                if (concentrationComplete) concentrationWeights[r].AsSpan().Fill(total);
            }
        });
        var result = new HeadSums[heads];
        for (int h = 0; h < heads; h++)
            result[h] = new HeadSums(Column(fractionSums, h), Column(fractionWeights, h), Column(concentrationSums, h), Column(concentrationWeights, h));
        return result;
    }

    // Replicates whose sums are accumulated together while a sample's row is in cache.
    private const int ReplicateBlock = 8;

    private static double[][] Matrix(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new double[columns]).ToArray();

    private static double[] Column(double[][] matrix, int column) => matrix.Select(row => row[column]).ToArray();

    /// <summary>One run: its replicates' sample weights (rows grow as sample indices arrive) and its heads' facts.</summary>
    private sealed class Run
    {
        private int[][] _slots = [];
        private readonly List<(int Layer, int Head)> _heads = [];
        private int _capacity = 64;

        public List<double[]> Weights { get; } = [];
        public int Samples { get; private set; }
        public int Index { get; set; }
        public int HeadCount => _heads.Count;

        /// <summary>The heads in slot order (slots are given in order of first appearance).</summary>
        public IReadOnlyList<(int Layer, int Head)> Heads => _heads;

        public Metric Fraction { get; private set; } = null!;
        public Metric Concentration { get; private set; } = null!;

        public void SetWeight(int replicate, int sample, double weight)
        {
            if (Fraction is not null) throw new InvalidOperationException("weights are read before the facts");
            if (sample >= _capacity)
            {
                while (sample >= _capacity) _capacity *= 2;
                for (int r = 0; r < Weights.Count; r++)
                {
                    var grown = Weights[r];
                    Array.Resize(ref grown, _capacity);
                    Weights[r] = grown;
                }
            }
            while (Weights.Count < replicate) Weights.Add(new double[_capacity]);
            Weights[replicate - 1][sample] = weight;
            Samples = Math.Max(Samples, sample + 1);
        }

        /// <summary>The head's slot (its column in the per-sample rows), given on first sight.</summary>
        public int Slot(int layer, int head)
        {
            Fraction ??= new Metric(Samples);
            Concentration ??= new Metric(Samples);
            if ((uint)layer < (uint)_slots.Length && _slots[layer] is { } row && (uint)head < (uint)row.Length && row[head] > 0)
                return row[head] - 1;
            if (layer < 0 || head < 0) throw new KernelException($"bootstrap facts: layer {layer} / head {head} must be ≥ 0");
            if (layer >= _slots.Length) Array.Resize(ref _slots, layer + 1);
            _slots[layer] ??= [];
            if (head >= _slots[layer].Length) Array.Resize(ref _slots[layer], head + 1);
            _heads.Add((layer, head));
            _slots[layer][head] = _heads.Count; // slot + 1, so 0 means none
            return _heads.Count - 1;
        }
    }

    /// <summary>
    /// One metric of a run, sample-major: per sample, the sum of each head's values (0 where none) and how many values
    /// each holds; rows grow as heads appear.
    /// </summary>
    private sealed class Metric(int samples)
    {
        private readonly double[]?[] _values = new double[samples][];
        private readonly double[]?[] _present = new double[samples][];
        private int _rowLength = 64;
        private long _rows;
        private long _distinct;
        private int _heads;

        public void Add(int sample, int slot, double value)
        {
            if (slot >= _rowLength) Grow(slot);
            _heads = Math.Max(_heads, slot + 1);
            var values = _values[sample] ??= new double[_rowLength];
            var present = _present[sample] ??= new double[_rowLength];
            values[slot] += value;
            if (present[slot]++ == 0) _distinct++;
            _rows++;
        }

        /// <summary>sums += w × the sample's values; weights (unless null) += w × its value counts.</summary>
        public void AddTimes(int sample, double w, double[] sums, double[]? weights)
        {
            int n = sums.Length;
            if (_values[sample] is { } values)
                TensorPrimitives.MultiplyAdd(values.AsSpan(0, n), w, sums, sums);
            if (weights is not null && _present[sample] is { } present)
                TensorPrimitives.MultiplyAdd(present.AsSpan(0, n), w, weights, weights);
        }

        /// <summary>Every one of the run's samples holds exactly one value of every head.</summary>
        public bool IsComplete(int heads) => _rows == (long)heads * _values.Length && _distinct == _rows;

        private void Grow(int slot)
        {
            while (slot >= _rowLength) _rowLength *= 2;
            for (int s = 0; s < _values.Length; s++)
            {
                if (_values[s] is { } v) { Array.Resize(ref v, _rowLength); _values[s] = v; }
                if (_present[s] is { } p) { Array.Resize(ref p, _rowLength); _present[s] = p; }
            }
        }
    }
}
