using System.Diagnostics;
using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Default;
using Vhw.Ingest.Pipeline;
using Vhw.Modeling.Generation;
namespace Vhw.Ingest.Tests.Ablation;
public sealed class ZzTiming(ITestOutputHelper o)
{
    [Fact]
    public void Time()
    {
        var p = DefaultAssets.Locate("/tmp/abl/default");
        using var s = new ModelSession(p.ModelDir, CaptureQuery.AnswerStep2, 4, TorchSharp.torch.ScalarType.Float32, TorchSharp.torch.CPU);
        var items = BenchmarkReader.Read(p.BenchmarkDir).OfType<BenchmarkSample>().Take(40).ToList();
        foreach (var it in items.Take(5)) s.Process(it, "r", p.BenchmarkDir);
        var w = Stopwatch.StartNew();
        foreach (var it in items) s.Process(it, "r", p.BenchmarkDir);
        o.WriteLine($"process {w.Elapsed.TotalMilliseconds / items.Count:0.0} ms");
        w.Restart();
        foreach (var it in items) SampleImage.Preprocess(s.Processor, it, p.BenchmarkDir);
        o.WriteLine($"image {w.Elapsed.TotalMilliseconds / items.Count:0.0} ms");
        var img = SampleImage.Preprocess(s.Processor, items[0], p.BenchmarkDir);
        var ids = s.Tokenizer.Encode(s.Template.Format(items[0].Question), addBos: true).Select(i => (long)i).ToArray();
        using var px = TorchSharp.torch.tensor(img.Pixels, new long[] { 1, 3, img.Height, img.Width });
        w.Restart();
        for (int i = 0; i < items.Count; i++) s.Loaded.Model.Generate(ids, px, 4, s.Tokenizer.EosId, null);
        o.WriteLine($"generate {w.Elapsed.TotalMilliseconds / items.Count:0.0} ms");
        w.Restart();
        for (int i = 0; i < items.Count; i++) s.Loaded.Model.Generate(ids, px, 4, s.Tokenizer.EosId, CaptureQuery.AnswerStep2);
        o.WriteLine($"generate+capture {w.Elapsed.TotalMilliseconds / items.Count:0.0} ms");
    }
}
