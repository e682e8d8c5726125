using DuckDB.NET.Data;

namespace Vhw.Transform.Tests;

/// <summary>
/// head_facts.image_rank: ingest stores each head's rank in its sample; schema.sql computes the same order for parts
/// without it (the shared fixture's parts hold none, and its marts match the naive reference elsewhere). Here the
/// fixture is written again with ranks stored (ranked by the naive reference), so both paths must give the same marts,
/// and once more with wrong stored ranks, which must change the marts: the stored column is what they read.
/// </summary>
public sealed class StoredImageRankTests(WarehouseFixture w)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string RankColumns = """
        select s.model, s.benchmark, s.query_kind, s.layer, s.head, s.n_samples_in_top_n, s.detection_score,
            d.mean_sample_rank, d.std_sample_rank
        from head_scores as s
        inner join head_activation_dynamics as d using (model, benchmark, query_kind, layer, head)
        order by s.model, s.benchmark, s.query_kind, s.layer, s.head
        """;

    [Fact]
    public void Stored_ranks_give_the_marts_of_the_computed_order_and_are_what_the_marts_read()
    {
        List<object?[]> computed;
        using (var q = new QueryRunner(w.Root)) computed = q.Run(RankColumns, Ct).Rows.ToList();

        string root = TempFolder.Create("stored-ranks");
        try
        {
            SyntheticWarehouse.Create(root);
            new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
            var ranks = Reference.SampleRanks(RawRows.Read(root).Facts);
            Assert.Contains(ranks, kv => kv.Value > 1);

            StoreRanks(root, ranks);
            var stored = Transform(root);
            Assert.Equal(computed.Count, stored.Count);
            for (int i = 0; i < computed.Count; i++)
                for (int c = 0; c < computed[i].Length; c++)
                    if (computed[i][c] is double e) Approx.Equal(e, (double?)stored[i][c], $"row {i} column {c}");
                    else Assert.Equal(computed[i][c], stored[i][c]);

            // reversed ranks: a sample's last head becomes its first, so the top-N counts and rank means move
            var heads = ranks.Keys.GroupBy(f => (f.Model, f.Benchmark, f.QueryKind, f.RunId, f.SampleId)).ToDictionary(g => g.Key, g => g.Count());
            var reversedRanks = new Dictionary<FactRow, int>(ReferenceEqualityComparer.Instance);
            foreach (var (f, rank) in ranks) reversedRanks[f] = heads[(f.Model, f.Benchmark, f.QueryKind, f.RunId, f.SampleId)] + 1 - rank;
            StoreRanks(root, reversedRanks);
            var reversed = Transform(root);
            int meanRank = 7;
            Assert.Contains(Enumerable.Range(0, computed.Count), i => !Equals(computed[i][5], reversed[i][5]));
            Assert.Contains(Enumerable.Range(0, computed.Count), i => Math.Abs((double)computed[i][meanRank]! - (double)reversed[i][meanRank]!) > 0.5);
        }
        finally
        {
            TempFolder.Delete(root);
        }
    }

    private static List<object?[]> Transform(string root)
    {
        new TransformRunner(WarehouseFixture.FewReplicates).Run(root, ct: Ct);
        using var q = new QueryRunner(root);
        return q.Run(RankColumns, Ct).Rows.ToList();
    }

    // Rewrites head_facts/ with an image_rank column holding ranks[fact] (every fact of the warehouse has one).
    private static void StoreRanks(string root, IReadOnlyDictionary<FactRow, int> ranks)
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Exec(db, """
            create table ranks (model varchar, benchmark varchar, run_id varchar, sample_id varchar, query_kind varchar,
                layer smallint, head smallint, image_rank smallint)
            """);
        using (var a = db.CreateAppender("ranks"))
            foreach (var (f, rank) in ranks)
                a.CreateRow().AppendValue(f.Model).AppendValue(f.Benchmark).AppendValue(f.RunId).AppendValue(f.SampleId)
                    .AppendValue(f.QueryKind).AppendValue((short?)f.Layer).AppendValue((short?)f.Head).AppendValue((short?)rank).EndRow();
        string facts = Path.Combine(root, "head_facts"), next = Path.Combine(root, "head_facts.next");
        Exec(db, $"""
            copy (
                with f as (
                    select columns(c -> c <> 'image_rank')
                    from read_parquet('{facts}/*/*/*.parquet', hive_partitioning = true, union_by_name = true)
                )
                select f.*, r.image_rank
                from f
                inner join ranks as r
                    on f.model = r.model and f.benchmark = r.benchmark and f.run_id = r.run_id and f.sample_id = r.sample_id
                    and f.query_kind = r.query_kind and f.layer = r.layer and f.head = r.head
            ) to '{next}' (format parquet, partition_by (model, benchmark))
            """);
        long written;
        using (var count = db.CreateCommand())
        {
            count.CommandText = $"select count(*) from read_parquet('{next}/*/*/*.parquet')";
            written = Convert.ToInt64(count.ExecuteScalar());
        }
        Assert.Equal(ranks.Count, written);
        Directory.Delete(facts, recursive: true);
        Directory.Move(next, facts);
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
