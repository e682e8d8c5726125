namespace Vhw.Transform.Tests;

internal static class Approx
{
    public const double Tolerance = 1e-9;

    public static void Equal(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected?.ToString() ?? "NULL"}, got {actual?.ToString() ?? "NULL"}");
            return;
        }
        Assert.True(Math.Abs(expected.Value - actual.Value) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
