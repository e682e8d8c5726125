using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Vhw.Transform.Kernels;

/// <summary>
/// One pass over the facts of a model's latest runs for what SQL does slowly on them (int_facts_of_latest_runs_reduced_per_head):
/// per run and head the p10 / median / p90 of image_fraction (<see cref="LinearQuantile"/>: the order statistics selected per
/// head instead of DuckDB's per-group quantile state), and per run and bootstrap replicate the correlations of weight_concentration_corr
/// (<see cref="ReplicateCorrelations"/>) from the replicates' weighted sums (<see cref="ReplicateSumsKernel"/>: a matrix
/// product instead of one SQL aggregate update per fact and replicate). The bootstrap weights and their formula stay in
/// SQL (macros/bootstrap.sql); the kernel reads them.
/// Inputs (the model's two selects, in this order; columns named and typed exactly so):
/// <list type="number">
/// <item>weights: <c>run_index integer, sample_index integer, sample_key ubigint, weights utinyint[]</c>, one row per
/// sample of a run (sample_index 0-based and dense within its run; sample_key unique), element r of the list the weight
/// of replicate r + 1 (a NULL element weighs 0);</item>
/// <item>facts: <c>sample_key ubigint, layer integer, head integer, image_fraction double, image_concentration double</c>;
/// a fact finds its sample by its key here (a dictionary lookup when the key changes, instead of a hash join in SQL), and
/// a fact whose key is no sample of input 1 is skipped.</item>
/// </list>
/// Outputs: table 1 (the model's), one row per run and head with a fact: the percentiles. Table 2 (the model's
/// <c>-- also materialized:</c> table), one row per run with a head and replicate 1..replicates: the number of heads
/// whose two weighted means the replicate draws, and Pearson's r and Spearman's rho of those means over those heads
/// (as DuckDB's corr: NULL without a head, NaN for one or a constant mean). Neither the means nor their ranks are
/// stored: 1 000 replicates × heads of them per run cost more to store and unnest in SQL than to correlate here
/// (BENCHMARKS.md).
/// </summary>
public sealed class HeadReductionsKernel : IModelKernel
{
    public string Name => "head_reductions";

    public int Inputs => 2;

    public IReadOnlyList<string> OutputColumns =>
    [
        "model varchar, run_index integer, layer integer, head integer, " +
        "p10_image_fraction double, median_image_fraction double, p90_image_fraction double",
        "model varchar, run_index integer, replicate integer, n_heads integer, pearson double, spearman double",
    ];

    private static readonly double[] Percentiles = [0.1, 0.5, 0.9];

    // Heads whose values are gathered in one pass over the samples.
    private const int GatherBlock = 64;

    private static readonly ChunkStream.Column[] WeightColumns =
    [
        ("run_index", DuckDBType.Integer), ("sample_index", DuckDBType.Integer), ("sample_key", DuckDBType.UnsignedBigInt),
        new("weights", DuckDBType.List, DuckDBType.UnsignedTinyInt),
    ];

    private static readonly ChunkStream.Column[] FactColumns =
    [
        ("sample_key", DuckDBType.UnsignedBigInt), ("layer", DuckDBType.Integer), ("head", DuckDBType.Integer),
        ("image_fraction", DuckDBType.Double), ("image_concentration", DuckDBType.Double),
    ];

    public void Build(DuckDBConnection connection, IReadOnlyList<string> inputs, string partitionValue, IReadOnlyList<ChunkWriter> outputs,
        int threads, KernelPhases phases, CancellationToken ct)
    {
        var runs = new SortedDictionary<int, RunFacts>();
        var samples = new Dictionary<ulong, SamplePlace>();
        phases.Time("weights", () => ReadWeights(connection, inputs[0], runs, samples, ct));
        int replicates = runs.Values.Select(r => r.Replicates).DefaultIfEmpty(0).Max();
        phases.Time("facts", () => ReadFactsOnOneDuckDbThread(connection, inputs[1], samples, threads, ct));
        foreach (var (index, run) in runs)
        {
            ct.ThrowIfCancellationRequested();
            var heads = run.Heads;
            if (heads.Count == 0) continue; // a run whose samples have no facts has no head to write
            var ordered = Enumerable.Range(0, heads.Count).OrderBy(h => heads[h].Layer).ThenBy(h => heads[h].Head).ToArray();
            var (fraction, concentration) = phases.Time("replicate sums", () => ReplicateSumsKernel.Multiply(run, replicates, ordered, threads));
            var percentiles = phases.Time("percentiles", () => FractionPercentiles(run, threads));
            var correlations = phases.Time("replicate correlations", () => ReplicateCorrelations.Of(fraction, concentration, ordered, threads));
            phases.Time("output", () =>
            {
                var perHead = outputs[0];
                foreach (int h in ordered)
                {
                    perHead.Varchar(0, partitionValue);
                    perHead.Value<int>(1, index);
                    perHead.Value<int>(2, heads[h].Layer);
                    perHead.Value<int>(3, heads[h].Head);
                    for (int q = 0; q < Percentiles.Length; q++) perHead.Value(4 + q, percentiles[h][q]);
                    perHead.EndRow();
                }
                var perReplicate = outputs[1];
                for (int r = 0; r < correlations.Length; r++)
                {
                    perReplicate.Varchar(0, partitionValue);
                    perReplicate.Value<int>(1, index);
                    perReplicate.Value<int>(2, r + 1);
                    perReplicate.Value<int>(3, correlations[r].Heads);
                    perReplicate.Value(4, correlations[r].Pearson);
                    perReplicate.Value(5, correlations[r].Spearman);
                    perReplicate.EndRow();
                }
            });
        }
    }

    // every head's image_fraction values (one per sample holding one, plus any second ones), then its percentiles; blocks
    // of heads in parallel, each gathering its heads' values in one pass over the samples (the block's buffers stay in cache)
    private static double?[][] FractionPercentiles(RunFacts run, int threads)
    {
        int heads = run.Heads.Count;
        var extra = run.Fraction.Extra.ToLookup(e => e.Slot, e => e.Value);
        var result = new double?[heads][];
        int blocks = (heads + GatherBlock - 1) / GatherBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, block =>
        {
            int first = block * GatherBlock, last = Math.Min(heads, first + GatherBlock);
            var values = new double[last - first][];
            var counts = new int[last - first];
            for (int h = first; h < last; h++) values[h - first] = new double[run.Samples + extra[h].Count()];
            for (int s = 0; s < run.Samples; s++)
            {
                if (run.Fraction.Values(s) is not { } row) continue;
                var present = run.Fraction.Present(s)!;
                for (int h = first; h < last; h++)
                    if (present[h] > 0) values[h - first][counts[h - first]++] = row[h];
            }
            for (int h = first; h < last; h++)
            {
                foreach (double value in extra[h]) values[h - first][counts[h - first]++] = value;
                result[h] = LinearQuantile.Of(values[h - first].AsSpan(0, counts[h - first]), Percentiles);
            }
        });
        return result;
    }

    /// <summary>Where a sample's facts go: its run's matrices and its row in them.</summary>
    private readonly record struct SamplePlace(RunFacts Run, int Sample);

    private static void ReadWeights(DuckDBConnection connection, string sql, SortedDictionary<int, RunFacts> runs,
        Dictionary<ulong, SamplePlace> samples, CancellationToken ct)
    {
        var withNulls = new List<byte>();
        ChunkStream.ForEach(connection, sql, WeightColumns, chunk =>
        {
            var run = chunk.Values<int>(0);
            var sample = chunk.Values<int>(1);
            var key = chunk.Values<ulong>(2);
            var weights = chunk.List<byte>(3);
            for (int i = 0; i < chunk.Count; i++)
            {
                if (sample[i] < 0)
                    throw new KernelException($"bootstrap weights: sample_index {sample[i]} out of range (≥ 0)");
                if (!chunk.IsValid(2, i) || !chunk.IsValid(3, i))
                    throw new KernelException($"bootstrap weights: sample_index {sample[i]} of run_index {run[i]} has no {(chunk.IsValid(2, i) ? "weights" : "sample_key")} (NULL)");
                if (!runs.TryGetValue(run[i], out var r)) runs[run[i]] = r = new RunFacts();
                if (!samples.TryAdd(key[i], new SamplePlace(r, sample[i])))
                    throw new KernelException($"bootstrap weights: two samples share the sample_key {key[i]} (sample_index {sample[i]} of run_index {run[i]})");
                var entry = weights.Entries[i];
                var list = weights.Elements.Slice((int)entry.Offset, (int)entry.Length);
                if (!weights.ElementValidity.IsEmpty)
                {
                    // a NULL element weighs 0
                    withNulls.Clear();
                    for (int at = (int)entry.Offset; at < (int)(entry.Offset + entry.Length); at++)
                        withNulls.Add(ChunkStream.IsValid(weights.ElementValidity, at) ? weights.Elements[at] : (byte)0);
                    list = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(withNulls);
                }
                r.SetWeights(sample[i], list);
            }
        }, ct);
    }

    // DuckDB streams a result at the pace of the thread that fetches it: one model's 15.6M facts took 0.64 s with one
    // DuckDB thread and 0.67–1.0 s with two (the second thread adds CPU time, not speed). With one, the other core is
    // free for the placing thread. The setting is restored to the transform's.
    private static void ReadFactsOnOneDuckDbThread(DuckDBConnection connection, string sql, Dictionary<ulong, SamplePlace> samples,
        int threads, CancellationToken ct)
    {
        string restore = $"set threads = {Math.Max(1, threads)}";
        Warehouse.Execute(connection, "set threads = 1", ct);
        try
        {
            ReadFacts(connection, sql, samples, ct);
        }
        catch
        {
            // the read's error is the one to report (a failed query aborts the transaction, so the reset fails too)
            try { Warehouse.Execute(connection, restore, CancellationToken.None); } catch (DuckDB.NET.Data.DuckDBException) { }
            throw;
        }
        Warehouse.Execute(connection, restore, ct);
    }

    // The facts stream in on this thread (DuckDB scans them and hashes their keys while it is fetched) and are copied into
    // batches that a second thread places into the runs' matrices, so reading and placing overlap; a failure on either
    // side stops both.
    private static void ReadFacts(DuckDBConnection connection, string sql, Dictionary<ulong, SamplePlace> samples, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new System.Collections.Concurrent.BlockingCollection<FactBatch>(boundedCapacity: 64);
        var pool = new System.Collections.Concurrent.ConcurrentBag<FactBatch>();
        var placing = Task.Run(() =>
        {
            try
            {
                foreach (var batch in queue.GetConsumingEnumerable(stop.Token))
                {
                    Place(batch, samples);
                    pool.Add(batch);
                }
            }
            catch when (!stop.IsCancellationRequested)
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None);
        try
        {
            ChunkStream.ForEach(connection, sql, FactColumns, chunk =>
            {
                var batch = pool.TryTake(out var reused) ? reused : new FactBatch();
                batch.CopyFrom(chunk);
                queue.Add(batch, stop.Token);
            }, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // stopped because the placing thread failed: its exception is reported below
        }
        catch
        {
            stop.Cancel(); // the read failed: the placing thread stops too, before the queue is disposed
            try { placing.Wait(CancellationToken.None); } catch (AggregateException) { /* stopped by the cancel */ }
            throw;
        }
        finally
        {
            queue.CompleteAdding();
        }
        placing.GetAwaiter().GetResult(); // the placing thread's failure, or the caller's cancellation
        ct.ThrowIfCancellationRequested();
        if (stop.IsCancellationRequested) throw new KernelException("head facts: reading stopped before the end");
    }

    // A sample's facts arrive together (ingest writes them so), so the dictionary is asked only when the key changes.
    private static void Place(FactBatch batch, Dictionary<ulong, SamplePlace> samples)
    {
        ulong current = 0;
        bool known = false, first = true;
        SamplePlace place = default;
        for (int i = 0; i < batch.Count; i++)
        {
            if (!batch.KeyValid(i)) continue; // no key: no sample of a latest run
            ulong key = batch.Key[i];
            if (first || key != current)
            {
                known = samples.TryGetValue(key, out place);
                current = key;
                first = false;
            }
            if (!known) continue; // a fact of an older run, or of a sample without a samples row
            var r = place.Run;
            int s = place.Sample;
            int slot = r.Slot(batch.Layer[i], batch.Head[i]);
            if (ChunkStream.IsValid(batch.FractionValid, i)) r.Fraction.Add(s, slot, batch.Fraction[i]);
            if (ChunkStream.IsValid(batch.ConcentrationValid, i)) r.Concentration.Add(s, slot, batch.Concentration[i]);
        }
    }

    /// <summary>One chunk of facts, copied out of DuckDB's vectors (validity words null when no value is NULL).</summary>
    private sealed class FactBatch
    {
        private const int Capacity = 2048; // DuckDB's vector size: a chunk never holds more
        public int Count;
        public readonly ulong[] Key = new ulong[Capacity];
        public readonly int[] Layer = new int[Capacity], Head = new int[Capacity];
        public readonly double[] Fraction = new double[Capacity], Concentration = new double[Capacity];
        public ulong[]? KeyValidity, FractionValid, ConcentrationValid;

        public bool KeyValid(int i) => ChunkStream.IsValid(KeyValidity, i);

        public void CopyFrom(ChunkStream.Chunk chunk)
        {
            if (chunk.Count > Capacity) throw new KernelException($"a DuckDB chunk of {chunk.Count} rows (at most {Capacity} expected)");
            Count = chunk.Count;
            chunk.Values<ulong>(0).CopyTo(Key);
            chunk.Values<int>(1).CopyTo(Layer);
            chunk.Values<int>(2).CopyTo(Head);
            chunk.Values<double>(3).CopyTo(Fraction);
            chunk.Values<double>(4).CopyTo(Concentration);
            KeyValidity = CopyValidity(chunk.ValidityWords(0), KeyValidity);
            FractionValid = CopyValidity(chunk.ValidityWords(3), FractionValid);
            ConcentrationValid = CopyValidity(chunk.ValidityWords(4), ConcentrationValid);
        }

        private static ulong[]? CopyValidity(ReadOnlySpan<ulong> validity, ulong[]? buffer)
        {
            if (validity.IsEmpty) return null;
            buffer ??= new ulong[Capacity / 64];
            validity.CopyTo(buffer);
            return buffer;
        }
    }
}
