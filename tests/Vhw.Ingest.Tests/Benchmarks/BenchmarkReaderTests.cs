using Vhw.Ingest.Benchmarks;

namespace Vhw.Ingest.Tests.Benchmarks;

public sealed class BenchmarkReaderTests : IDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vhw-bench-");

    public void Dispose() => _dir.Delete(recursive: true);

    void Fixture(params string[] lines)
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "images"));
        foreach (var name in new[] { "000.png", "001.png" }) File.WriteAllBytes(Path.Combine(_dir.FullName, "images", name), [0]);
        File.WriteAllBytes(Path.Combine(_dir.FullName, "outside.png"), [0]);
        File.WriteAllText(BenchmarkReader.QuestionsPath(_dir.FullName), string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void Good_lines_become_samples_and_bad_lines_rejects_with_line_and_field()
    {
        Fixture(
            """{"id": "a", "image": "images/000.png", "question": "Is it red?", "answer": "Yes", "box": [1, 2, 3.5, 4]}""",
            """{"id": "b", "image": "images/001.png", "question": "Q", "answer": "No", "task": "presence"}""",
            """{"id": "c", "image": "images/000.png", "question": """,
            """{"id": "d", "image": "images/000.png", "answer": "No"}""",
            """{"id": "e", "image": "images/404.png", "question": "Q", "answer": "No"}""",
            """{"id": "f", "image": "images/000.png", "question": "Q", "answer": "No", "box": [5, 0, 5, 4]}""",
            """{"id": "a", "image": "images/000.png", "question": "Q", "answer": "No"}""",
            "",
            """{"id": 7, "image": "images/000.png", "question": "Q", "answer": "No"}""",
            """{"id": "g", "image": "../outside.png", "question": "Q", "answer": "No"}""",
            """{"id": "h", "image": "images/001.png", "question": "Q", "answer": 2}""",
            """[1, 2]""",
            """{"id": "k", "image": "images/001.png", "question": "Q", "answer": "2", "box": null, "task": null}""");

        var items = BenchmarkReader.Read(_dir.FullName).ToList();
        var samples = items.OfType<BenchmarkSample>().ToList();
        Assert.Equal(["a", "b", "k"], samples.Select(s => s.Id));
        Assert.Equal([1, 2, 13], samples.Select(s => s.Line));
        Assert.Equal([1f, 2f, 3.5f, 4f], samples[0].Box);
        Assert.Equal(("images/001.png", "presence"), (samples[1].ImagePath, samples[1].Task));
        Assert.Null(samples[2].Box);

        var rejects = items.OfType<BenchmarkReject>().Select(r => (r.Line, r.SampleId, r.Field)).ToList();
        Assert.Equal(
        [
            (3, null, "json"), (4, "d", "question"), (5, "e", "image"), (6, "f", "box"), (7, "a", "id"),
            (9, null, "id"), (10, "g", "image"), (11, "h", "answer"), (12, null, "json"),
        ], rejects);
        var reasons = items.OfType<BenchmarkReject>().ToDictionary(r => r.Line, r => r.Reason);
        Assert.StartsWith("malformed JSON", reasons[3]);
        Assert.Equal("missing", reasons[4]);
        Assert.Equal("file not found: images/404.png", reasons[5]);
        Assert.Equal("x1 (5) must be > x0 (5)", reasons[6]);
        Assert.Equal("duplicate id (first on line 1)", reasons[7]);
        Assert.Equal("must be a string, got Number", reasons[9]);
        Assert.Contains("leaves the benchmark folder", reasons[10]);
        Assert.All(items.OfType<BenchmarkReject>(), r => Assert.Equal(BenchmarkReader.QuestionsPath(_dir.FullName), r.SourceFile));
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        Fixture();
        BenchmarkSample[] written =
        [
            new("s1", "images/000.png", "Is the \"box\" red?\nAnswer briefly.", "Yes", [0, 0, 8, 8], "region_colour", 0),
            new("s2", "images/001.png", "Q", "No", null, null, 0),
        ];
        BenchmarkWriter.Write(_dir.FullName, written);
        var read = BenchmarkReader.Read(_dir.FullName).Cast<BenchmarkSample>().ToList();
        Assert.Equal(2, read.Count);
        Assert.Equal(written[0] with { Box = null, Line = 1 }, read[0] with { Box = null });
        Assert.Equal(written[0].Box, read[0].Box);
        Assert.Equal(written[1] with { Line = 2 }, read[1]);
    }

    [Fact]
    public void Missing_questions_file_throws()
    {
        var e = Assert.Throws<FileNotFoundException>(() => BenchmarkReader.Read(Path.Combine(_dir.FullName, "none")));
        Assert.Contains("questions.jsonl", e.Message);
    }
}
