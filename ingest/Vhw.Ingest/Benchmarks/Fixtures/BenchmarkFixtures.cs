using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Vhw.Ingest.Benchmarks.Fixtures;

/// <summary>
/// Tiny benchmarks in every published format, generated (never downloaded): synthetic shape images and a handful of
/// rows each, laid out as the real releases are. Same call → same bytes. Used by the tests and as a demo data root
/// for <c>vhw benchmarks</c>. Row counts: <see cref="Counts"/>.
/// </summary>
public static class BenchmarkFixtures
{
    public sealed record Paths(string Root, string Pope, string MMBench, string Seed, string QBench, string PointQa, string Questions);

    /// <summary>Rows (before circular expansion / question types): POPE 3 per split, MMBench 4, SEED 4 image + 1 video, Q-Bench 4, PointQA 3 × 3 questions.</summary>
    public static class Counts
    {
        public const int PopePerSplit = 3, MMBench = 4, Seed = 4, QBench = 4, PointQaRows = 3, Questions = 6;
    }

    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
    static readonly PngEncoder Png = new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };

    public static Paths Write(string root)
    {
        var p = new Paths(root, Path.Combine(root, "pope"), Path.Combine(root, "mmbench", "mmbench_dev_en.tsv"),
            Path.Combine(root, "seed", "SEED-Bench.json"), Path.Combine(root, "qbench", "llvisionqa_dev.json"),
            Path.Combine(root, "pointqa", "pointQA_twice_test.jsonl"), Path.Combine(root, "questions"));
        WritePope(p.Pope);
        WriteMMBench(p.MMBench);
        WriteSeed(p.Seed);
        WriteQBench(p.QBench);
        WritePointQa(p.PointQa);
        SyntheticBenchmark.Write(p.Questions, Counts.Questions, seed: 11);
        return p;
    }

    /// <summary>A 32×32 image with the given (shape, colour) in grid cells 0, 1, … (8-pixel cells).</summary>
    public static byte[] ShapesPng(params (string Shape, string Colour)[] shapes) => Encode(Draw(32, 8, shapes));

    static Image<Rgb24> Draw(int size, int cell, IReadOnlyList<(string Shape, string Colour)> shapes)
    {
        var img = new Image<Rgb24>(size, size, ShapeRaster.Background);
        int grid = size / cell;
        for (int i = 0; i < shapes.Count; i++) ShapeRaster.Draw(img, shapes[i].Shape, shapes[i].Colour, i % grid * cell, i / grid * cell, cell);
        return img;
    }

    static byte[] Encode(Image<Rgb24> img)
    {
        using (img)
        using (var ms = new MemoryStream())
        {
            img.Save(ms, Png);
            return ms.ToArray();
        }
    }

    static void Save(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    static void WriteLines(string path, IEnumerable<object> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(rows.Select(r => JsonSerializer.Serialize(r, Compact) + "\n")), new UTF8Encoding(false));
    }

    static void WriteJson(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Indented).ReplaceLineEndings("\n") + "\n", new UTF8Encoding(false));
    }

    // POPE: COCO-style image names in val2014/, one JSON object per line, ids 1.. in every split (as published).
    static void WritePope(string dir)
    {
        (string, string)[][] scenes = [[("square", "red")], [("circle", "blue"), ("triangle", "green")], [("square", "yellow"), ("circle", "red")]];
        for (int i = 0; i < scenes.Length; i++) Save(Path.Combine(dir, "val2014", CocoName(i)), ShapesPng(scenes[i]));
        var questions = new (int Image, string Text, string Label)[]
        {
            (0, "Is there a red square in the image?", "yes"), (1, "Is there a red square in the image?", "no"), (2, "Is there a yellow square in the image?", "yes"),
        };
        foreach (var split in new[] { "random", "popular", "adversarial" })
            WriteLines(Path.Combine(dir, $"coco_pope_{split}.json"), questions.Select((q, k) =>
                (object)new { question_id = k + 1, image = CocoName(q.Image), text = q.Text, label = q.Label }));
    }

    static string CocoName(int i) => $"COCO_val2014_{i + 1:D12}.jpg";

    // MMBench: pandas-style TSV; row 1 has a hint, row 2 three options (D = nan) and a quoted two-line question,
    // row 3 reuses row 0's image by index.
    static void WriteMMBench(string path)
    {
        string img0 = Convert.ToBase64String(ShapesPng(("circle", "red"))), img1 = Convert.ToBase64String(ShapesPng(("triangle", "blue"), ("square", "green")));
        string[][] rows =
        [
            ["index", "question", "hint", "A", "B", "C", "D", "answer", "category", "image", "source", "l2-category", "comment", "split"],
            ["0", "What colour is the circle?", "nan", "blue", "red", "green", "yellow", "B", "attribute_recognition", img0, "synthetic", "finegrained_perception (instance-level)", "nan", "dev"],
            ["1", "Which shape is blue?", "The image shows two shapes.", "square", "triangle", "circle", "star", "B", "attribute_recognition", img1, "synthetic", "finegrained_perception (instance-level)", "nan", "dev"],
            ["2", "\"How many shapes\nare there?\"", "nan", "one", "two", "three", "nan", "B", "object_localization", img1, "synthetic", "finegrained_perception (cross-instance)", "nan", "dev"],
            ["3", "Is the shape round?", "nan", "yes", "no", "nan", "nan", "A", "image_topic", "0", "synthetic", "coarse_perception", "nan", "dev"],
        ];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(rows.Select(r => string.Join('\t', r) + "\n")), new UTF8Encoding(false));
    }

    // SEED-Bench: {"questions": [...], "question_type": {...}} with images in SEED-Bench-image/; one video row is skipped.
    static void WriteSeed(string path)
    {
        string dir = Path.GetDirectoryName(path)!;
        (string Id, (string, string)[] Shapes)[] images = [("1001_2001.jpg", [("square", "blue")]), ("1002_2002.jpg", [("circle", "yellow"), ("circle", "green")])];
        foreach (var (id, shapes) in images) Save(Path.Combine(dir, "SEED-Bench-image", id), ShapesPng(shapes));
        object Q(string qid, string question, string[] c, string answer, string dataId, int type, string dataType = "image") => new
        {
            answer, choice_a = c[0], choice_b = c[1], choice_c = c[2], choice_d = c[3], data_id = dataId, data_type = dataType,
            question, question_id = qid, question_type_id = type,
        };
        WriteJson(path, new
        {
            questions = new[]
            {
                Q("101", "What shape is in the image?", ["circle", "square", "triangle", "star"], "B", "1001_2001.jpg", 2),
                Q("102", "What colour is the square?", ["red", "green", "blue", "yellow"], "C", "1001_2001.jpg", 3),
                Q("103", "How many circles are there?", ["1", "2", "3", "4"], "B", "1002_2002.jpg", 4),
                Q("104", "Which colours appear?", ["yellow and green", "red and blue", "blue only", "green only"], "A", "1002_2002.jpg", 3),
                Q("105", "What happens next?", ["a", "b", "c", "d"], "A", "v_0001.mp4", 10, "video"),
            },
            question_type = new Dictionary<string, int> { ["Instance Identity"] = 2, ["Instance Attributes"] = 3, ["Instance Location"] = 4, ["Action Recognition"] = 10 },
        });
    }

    // Q-Bench (LLVisionQA dev): a JSON array; type 0 yes-or-no (2 candidates), 1 what, 2 how; concern 0–3.
    static void WriteQBench(string path)
    {
        string dir = Path.GetDirectoryName(path)!;
        Save(Path.Combine(dir, "images_llvisionqa", "00001.jpg"), ShapesPng(("square", "red")));
        Save(Path.Combine(dir, "images_llvisionqa", "00002.png"), ShapesPng(("triangle", "green"), ("circle", "blue")));
        WriteJson(path, new object[]
        {
            new { img_path = "00001.jpg", question = "Is the image sharp?", candidates = new[] { "Yes", "No" }, correct_ans = "Yes", type = 0, concern = 0 },
            new { img_path = "00001.jpg", question = "What colour dominates the object?", candidates = new[] { "green", "red", "blue" }, correct_ans = "red", type = 1, concern = 1 },
            new { img_path = "00002.png", question = "How is the lighting of the image?", candidates = new[] { "dark", "even", "overexposed", "flickering" }, correct_ans = "even", type = 2, concern = 1 },
            new { img_path = "00002.png", question = "Is the blue circle in focus?", candidates = new[] { "No", "Yes" }, correct_ans = "Yes", type = 0, concern = 2 },
        });
    }

    // PointQA / LookTwice-QA (Shikra's jsonl): counts inside a box; the third row needs a two-digit answer.
    static void WritePointQa(string path)
    {
        string dir = Path.GetDirectoryName(path)!;
        int[] counts = [2, 3, 12];
        for (int i = 0; i < counts.Length; i++)
            Save(Path.Combine(dir, "images", $"{2370000 + i}.jpg"), Encode(Draw(64, 8, Enumerable.Repeat(("square", i == 1 ? "red" : "blue"), counts[i]).ToArray())));
        WriteLines(path, counts.Select((n, i) => (object)new
        {
            genome_id = 2370000 + i, file_path = $"{2370000 + i}.jpg",
            general_question = "How many of these are there?",
            obj_question = $"How many {(i == 1 ? "red" : "blue")} squares are there?",
            super_question = "How many of these shapes are there?",
            answer = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            bbox = new[] { 0, 0, 64, n > 8 ? 16 : 8 }, point = new[] { 4, 4 },
        }));
    }
}
