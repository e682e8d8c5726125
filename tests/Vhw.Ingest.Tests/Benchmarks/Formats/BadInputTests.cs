using Vhw.Ingest.Benchmarks;
using Vhw.Ingest.Benchmarks.Sources;
using static Vhw.Ingest.Tests.Benchmarks.Formats.FixtureFolder;

namespace Vhw.Ingest.Tests.Benchmarks.Formats;

/// <summary>Bad rows become rejects with file, line, field and reason; every good row is still read.</summary>
public sealed class BadInputTests(FixtureFolder f) : IClassFixture<FixtureFolder>
{
    static List<(int Line, string? Id, string Field)> Where(List<BenchmarkItem> items) =>
        Rejects(items).Select(r => (r.Line, r.SampleId, r.Field)).ToList();

    [Fact]
    public void Pope_rejects_malformed_lines_bad_labels_missing_images_and_reports_unknown_fields_once()
    {
        string file = Path.Combine(f.Copy(f.Paths.Pope), "coco_pope_random.json");
        File.AppendAllLines(file,
        [
            """{"question_id": 4, "image": "COCO_val2014_000000000404.jpg", "text": "Is there a cat?", "label": "yes"}""",
            """{"question_id": 5, "image": "COCO_val2014_000000000001.jpg", "text": "Is there a cat?", "label": "maybe"}""",
            """{"question_id": 6, "image": "COCO_val2014_000000000001.jpg", "text": "Is there""",
            """{"question_id": 7, "image": "COCO_val2014_000000000001.jpg", "text": "Is there a cat?", "label": "no", "extra": 1}""",
            """{"question_id": 8, "image": "COCO_val2014_000000000001.jpg", "text": "Is there a dog?", "label": "No", "extra": 2}""",
            """{"question_id": 1, "image": "COCO_val2014_000000000001.jpg", "text": "again", "label": "no"}""",
            """{"question_id": 9, "image": "../escape.jpg", "text": "Is there a cat?", "label": "no"}""",
        ]);
        var items = Read(file);
        Assert.Equal([(4, "random-4", "image"), (5, "random-5", "label"), (6, null, "json"), (7, "random-7", "extra"), (9, "random-1", "question_id"), (10, "random-9", "image")], Where(items));
        Assert.Equal(["random-1", "random-2", "random-3", "random-7", "random-8"], Samples(items).Select(s => s.Id));
        var reasons = Rejects(items).ToDictionary(r => r.Line, r => r.Reason);
        Assert.StartsWith("file not found: COCO_val2014_000000000404.jpg (looked in ", reasons[4]);
        Assert.Equal("must be yes or no, got 'maybe'", reasons[5]);
        Assert.StartsWith("malformed JSON", reasons[6]);
        Assert.StartsWith("unknown field 'extra' (first seen here), ignored", reasons[7]);
        Assert.Equal("duplicate question_id (first on line 1)", reasons[9]);
        Assert.Contains("must be relative and stay inside", reasons[10]);
        Assert.All(Rejects(items), r => Assert.Equal(file, r.SourceFile));
        Assert.Equal("no", Samples(items).Single(s => s.Id == "random-8").Answer);
    }

    [Fact]
    public void Mmbench_rejects_bad_base64_short_rows_bad_answers_and_reports_unknown_columns_at_the_header()
    {
        string tsv = f.Copy(f.Paths.MMBench);
        var lines = File.ReadAllLines(tsv);
        // one more column: "mystery" in the header, "x" at the end of every record (line 4 ends inside row 2's quoted question)
        for (int i = 0; i < lines.Length; i++) if (i != 3) lines[i] += i == 0 ? "\tmystery" : "\tx";
        File.WriteAllLines(tsv, lines);
        string good = string.Join('\t', ["7", "What colour?", "nan", "red", "blue", "nan", "nan", "A", "c", "0", "s", "l2", "nan", "dev", "x"]);
        File.AppendAllLines(tsv,
        [
            string.Join('\t', ["8", "Q", "nan", "a", "b", "nan", "nan", "A", "c", "!!!not-base64!!!", "s", "l2", "nan", "dev", "x"]),
            string.Join('\t', ["9", "Q", "nan", "a", "b", "nan", "nan", "A", "c", Convert.ToBase64String("not an image"u8.ToArray()), "s", "l2", "nan", "dev", "x"]),
            "10\tQ\tnan\ta",
            string.Join('\t', ["11", "Q", "nan", "a", "b", "nan", "nan", "C", "c", "0", "s", "l2", "nan", "dev", "x"]),
            string.Join('\t', ["12", "Q", "nan", "a", "b", "nan", "nan", "nan", "c", "0", "s", "l2", "nan", "dev", "x"]),
            string.Join('\t', ["13", "Q", "nan", "a", "b", "nan", "nan", "A", "c", "404", "s", "l2", "nan", "dev", "x"]),
            good,
        ]);
        var items = Read("mmbench:" + tsv);
        Assert.Equal([(1, null, "mystery"), (7, "8", "image"), (8, "9", "image"), (9, null, "row"), (10, "11", "answer"), (11, "12", "answer"), (12, "13", "image")], Where(items));
        Assert.Equal(["0", "1", "2", "3", "7"], Samples(items).Select(s => s.Id));
        var reasons = Rejects(items).ToDictionary(r => r.Line, r => r.Reason);
        Assert.StartsWith("unknown field 'mystery'", reasons[1]);
        Assert.StartsWith("bad base64", reasons[7]);
        Assert.Equal("base64 decodes to 12 bytes that are not a recognised image", reasons[8]);
        Assert.Equal("has 4 fields, the header has 15", reasons[9]);
        Assert.Equal("must be one of A, B, got 'C'", reasons[10]);
        Assert.StartsWith("missing", reasons[11]);
        Assert.Equal("refers to the image of index 404, which no earlier row has", reasons[12]);
    }

    [Fact]
    public void Mmbench_without_a_required_column_fails_as_a_whole_and_an_open_quote_ends_the_file_with_a_reject()
    {
        string tsv = f.Copy(f.Paths.MMBench);
        File.WriteAllText(tsv, "index\tquestion\tA\tB\tanswer\n0\tQ\ta\tb\tA\n");
        Assert.Contains("header lacks the column(s) image", Assert.Throws<InvalidDataException>(() => Read("mmbench:" + tsv)).Message);

        string good = File.ReadAllText(f.Paths.MMBench);
        File.WriteAllText(tsv, good + "5\t\"never closed\tnan\n");
        var items = Read("mmbench:" + tsv);
        Assert.Equal(4, Samples(items).Count);
        var reject = Assert.Single(Rejects(items));
        Assert.Equal((7, "row"), (reject.Line, reject.Field));
        Assert.Contains("a quoted field is never closed", reject.Reason);
    }

    [Fact]
    public void Seed_rejects_bad_questions_by_line_and_a_syntax_error_keeps_the_rows_before_it()
    {
        string json = f.Copy(f.Paths.Seed);
        string text = File.ReadAllText(json)
            .Replace("\"answer\": \"C\"", "\"answer\": \"E\"")                 // question 102
            .Replace("\"data_id\": \"1002_2002.jpg\",\n      \"data_type\": \"image\",\n      \"question\": \"How many", "\"data_id\": \"missing.jpg\",\n      \"data_type\": \"image\",\n      \"question\": \"How many");
        File.WriteAllText(json, text);
        var items = Read("seed:" + json);
        Assert.Equal(["101", "104"], Samples(items).Select(s => s.Id));
        var rejects = Rejects(items);
        Assert.Equal([("102", "answer"), ("103", "data_id")], rejects.Select(r => (r.SampleId, r.Field)));
        Assert.Equal("must be A, B, C or D, got 'E'", rejects[0].Reason);
        Assert.Equal(Samples(Read(f.Paths.Seed)).Single(s => s.Id == "102").Line, rejects[0].Line);

        File.WriteAllText(json, text[..text.IndexOf("\"question_id\": \"103\"", StringComparison.Ordinal)] + "\"question_id\": 103 oops");
        items = Read("seed:" + json);
        Assert.Equal(["101"], Samples(items).Select(s => s.Id));
        Assert.Equal("json", Rejects(items)[^1].Field);
        Assert.EndsWith("the rest of the file is skipped", Rejects(items)[^1].Reason);
    }

    [Fact]
    public void Qbench_rejects_a_correct_answer_outside_the_candidates_and_too_many_candidates()
    {
        string json = f.Copy(f.Paths.QBench);
        string text = File.ReadAllText(json).Replace("\"correct_ans\": \"red\"", "\"correct_ans\": \"purple\"")
            .Replace("\"dark\",", "\"dark\", \"dim\",");
        File.WriteAllText(json, text);
        var items = Read("qbench:" + json);
        Assert.Equal(["0", "3"], Samples(items).Select(s => s.Id));
        Assert.Equal([("1", "correct_ans", "'purple' is not one of the candidates"), ("2", "candidates", "must hold 2–4 candidates, got 5")],
            Rejects(items).Select(r => (r.SampleId, r.Field, r.Reason)));
    }

    [Fact]
    public void Pointqa_rejects_bad_boxes_missing_questions_and_missing_images()
    {
        string file = f.Copy(f.Paths.PointQa);
        File.AppendAllLines(file,
        [
            """{"id": "b1", "file_path": "2370000.jpg", "general_question": "How many?", "answer": 2, "bbox": [5, 5, 1, 9]}""",
            """{"id": "b2", "file_path": "2370000.jpg", "answer": "2", "bbox": [0, 0, 8, 8]}""",
            """{"id": "b3", "image_id": 99, "general_question": "How many?", "answer": "2", "bbox": [0, 0, 8, 8]}""",
            """{"id": "b4", "file_path": "2370000.jpg", "general_question": "How many?", "obj_question": 7, "answer": 10, "bbox": [0, 0, 8, 8]}""",
        ]);
        var items = Read("pointqa:" + file);
        Assert.Equal([(4, "b1", "bbox"), (5, "b2", "general_question"), (6, "b3", "image_id"), (7, "b4-object", "obj_question")], Where(items));
        Assert.Equal("x1 (1) must be > x0 (5)", Rejects(items)[0].Reason);
        Assert.StartsWith("file not found: 99.jpg", Rejects(items)[2].Reason);
        var b4 = Samples(items).Single(s => s.Id == "b4-general");
        Assert.Equal(("10", 7), (b4.Answer, b4.Line));
    }
}
