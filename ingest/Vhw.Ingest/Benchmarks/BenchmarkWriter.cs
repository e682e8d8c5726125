using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vhw.Ingest.Benchmarks;

/// <summary>Writes questions.jsonl in the format <see cref="BenchmarkReader"/> reads (images are not copied).</summary>
public static class BenchmarkWriter
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes one line per sample, fields in a fixed order (id, image, question, answer, box?, task?), '\n' line ends,
    /// so the same samples give the same bytes. <see cref="BenchmarkSample.Line"/> is ignored.
    /// </summary>
    public static void Write(string folder, IEnumerable<BenchmarkSample> samples)
    {
        Directory.CreateDirectory(folder);
        using var file = File.Create(BenchmarkReader.QuestionsPath(folder));
        foreach (var s in samples)
        {
            using (var w = new Utf8JsonWriter(file, Options))
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("image", s.ImagePath.Replace('\\', '/'));
                w.WriteString("question", s.Question);
                w.WriteString("answer", s.Answer);
                if (s.Box is { } box)
                {
                    w.WriteStartArray("box");
                    foreach (var x in box) w.WriteNumberValue(x);
                    w.WriteEndArray();
                }
                if (s.Task is not null) w.WriteString("task", s.Task);
                w.WriteEndObject();
            }
            file.WriteByte((byte)'\n');
        }
    }
}
