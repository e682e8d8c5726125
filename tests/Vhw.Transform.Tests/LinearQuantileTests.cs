using DuckDB.NET.Data;
using Vhw.Transform.Kernels;

namespace Vhw.Transform.Tests;

public sealed class LinearQuantileTests
{
    [Fact]
    public void Quantiles_by_selection_equal_duckdb_quantile_cont_on_ties_nans_and_every_length()
    {
        double[] qs = [0, 0.1, 0.25, 0.5, 0.9, 1];
        var random = new Random(7);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        foreach (int n in new[] { 1, 2, 3, 10, 31, 32, 33, 100, 1000, 3001 })
        {
            // from LinearQuantile.BucketFrom values on the ranks come from bucket counts: infinities and NaN outside the
            // buckets, one value repeated (no width), a subnormal width (no scale: quickselect) and a width beyond double
            foreach (string shape in new[] { "uniform", "ties", "nan", "inf", "constant", "subnormal", "wide" })
            {
                double[] values = Enumerable.Range(0, n).Select(_ => shape switch
                {
                    "ties" => Math.Round(random.NextDouble() * 4) / 4,
                    "nan" => random.NextDouble() < 0.1 ? double.NaN : random.NextDouble(),
                    "inf" => random.NextDouble() switch { < 0.05 => double.NegativeInfinity, < 0.15 => double.PositiveInfinity, < 0.2 => double.NaN, var u => u },
                    "constant" => 0.25,
                    "subnormal" => random.Next(3) * double.Epsilon,
                    "wide" => (random.NextDouble() - 0.5) * 2 * double.MaxValue,
                    _ => random.NextDouble(),
                }).ToArray();
                using (var create = db.CreateCommand())
                {
                    create.CommandText = "create or replace table v (x double)";
                    create.ExecuteNonQuery();
                }
                using (var appender = db.CreateAppender("v"))
                    foreach (double x in values) appender.CreateRow().AppendValue((double?)x).EndRow();
                using var query = db.CreateCommand();
                query.CommandText = $"select unnest(quantile_cont(x, [{string.Join(", ", qs.Select(q => q.ToString(System.Globalization.CultureInfo.InvariantCulture)))}])) from v";
                using var reader = query.ExecuteReader();
                var expected = new List<double>();
                while (reader.Read()) expected.Add(reader.GetDouble(0));

                var actual = LinearQuantile.Of(values.ToArray(), qs);
                for (int i = 0; i < qs.Length; i++)
                {
                    string what = $"n {n} {shape} q {qs[i]}";
                    if (double.IsNaN(expected[i])) Assert.True(double.IsNaN(actual[i]!.Value), what);
                    else if (double.IsInfinity(expected[i])) Assert.Equal(expected[i], actual[i]!.Value);
                    else Assert.True(Math.Abs(expected[i] - actual[i]!.Value) <= 1e-15 * Math.Max(1, Math.Abs(expected[i])), $"{what}: {expected[i]} vs {actual[i]}");
                }
            }
        }
    }

    [Fact]
    public void No_values_give_no_quantile()
    {
        Assert.Equal([null, null], LinearQuantile.Of([], [0.1, 0.9]));
    }
}
