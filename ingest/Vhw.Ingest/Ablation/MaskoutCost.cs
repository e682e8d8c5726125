using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vhw.Modeling.Functional;
using static TorchSharp.torch;

namespace Vhw.Ingest.Ablation;

/// <summary>
/// What maskout costs in one attention call of a prefill (`vhw ablate --measure-mask-cost`): the unablated SDPA with
/// is_causal, SDPA with the per-head mask maskout builds (the path LlamaAttention takes for a layer with removed heads),
/// and the eager fallback with the same inputs. Interleaved rounds, median milliseconds per call.
/// </summary>
public static class MaskoutCost
{
    public sealed record Shape(string Name, int Heads, int Tokens, int HeadDim, int Removed);

    public static readonly Shape[] Shapes =
    [
        new("default tiny (4 heads, 42 tokens, head_dim 16)", 4, 42, 16, 1),
        new("LLaVA-1.5-7B layer (32 heads, 620 tokens, head_dim 128)", 32, 620, 128, 3),
    ];

    public static string Markdown(int rounds = 7, int callsPerRound = 5)
    {
        var md = new StringBuilder("| attention call (fp32, " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) +
                                   " CPU threads available) | SDPA is_causal (unablated) | SDPA + per-head maskout mask | eager + maskout mask |\n|---|---:|---:|---:|\n");
        foreach (var s in Shapes)
        {
            var (plain, masked, eager) = Measure(s, rounds, callsPerRound);
            md.Append(CultureInfo.InvariantCulture, $"| {s.Name}, {s.Removed} head(s) removed | {plain:0.###} ms | {masked:0.###} ms ({masked / plain:0.00}×) | {eager:0.###} ms ({eager / plain:0.00}×) |\n");
        }
        return md.ToString();
    }

    public static (double Plain, double Masked, double Eager) Measure(Shape s, int rounds, int callsPerRound)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(1, CPU);
        var q = randn([1, s.Heads, s.Tokens, s.HeadDim], generator: generator);      // (B, nh, T, hd)
        var k = randn([1, s.Heads, s.Tokens, s.HeadDim], generator: generator);
        var v = randn([1, s.Heads, s.Tokens, s.HeadDim], generator: generator);
        long[] removed = Enumerable.Range(0, s.Removed).Select(h => (long)h).ToArray();
        double scaling = 1 / Math.Sqrt(s.HeadDim);

        double Time(Action call)
        {
            call();                                                                    // warm-up
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < callsPerRound; i++) { using var inner = NewDisposeScope(); call(); }
            return clock.Elapsed.TotalMilliseconds / callsPerRound;
        }
        void Plain() => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        void Masked()
        {
            var (qm, mask) = HeadMaskout.Apply(q, EagerAttention.CausalMask(s.Tokens, s.Tokens, q.dtype, q.device), removed);
            nn.functional.scaled_dot_product_attention(qm, k, v, attn_mask: mask);
        }
        void Eager()
        {
            var (qm, mask) = HeadMaskout.Apply(q, EagerAttention.CausalMask(s.Tokens, s.Tokens, ScalarType.Float32, q.device), removed);
            EagerAttention.Forward(qm, k, v, mask, scaling);
        }

        var times = new List<(double, double, double)>();
        for (int r = 0; r < rounds; r++) times.Add((Time(Plain), Time(Masked), Time(Eager)));
        return (Median(times.Select(t => t.Item1)), Median(times.Select(t => t.Item2)), Median(times.Select(t => t.Item3)));
    }

    private static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }
}
