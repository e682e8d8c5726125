using System.Text.Json;

namespace Vhw.Modeling.Processing;

/// <summary>
/// Mirrors an HF <c>preprocessor_config.json</c> (CLIPImageProcessor, plus LlavaImageProcessor's <c>do_pad</c>).
/// Defaults are CLIP's (openai/clip-vit-*-patch14: shortest edge 224, centre crop 224, bicubic, OpenAI mean/std).
/// <c>size</c> and <c>crop_size</c> may be an int (old files) or an object ({shortest_edge} / {height,width}).
/// </summary>
public sealed record ClipImageProcessorConfig
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>LLaVA-1.5 <c>expand2square</c>: pad to a square with the mean colour before resizing.</summary>
    public bool DoPad { get; init; }
    public bool DoResize { get; init; } = true;
    /// <summary>Resize so the short side is this long (HF: long side = floor(size·long/short)). Null when an exact size is given.</summary>
    public int? ShortestEdge { get; init; } = 224;
    /// <summary>Exact resize target (HF <c>size: {height, width}</c>); used when <see cref="ShortestEdge"/> is null.</summary>
    public int? ResizeHeight { get; init; }
    public int? ResizeWidth { get; init; }
    /// <summary>PIL resample code: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic.</summary>
    public int Resample { get; init; } = 3;
    public bool DoCenterCrop { get; init; } = true;
    public int CropHeight { get; init; } = 224;
    public int CropWidth { get; init; } = 224;
    public bool DoRescale { get; init; } = true;
    public float RescaleFactor { get; init; } = 1f / 255f;
    public bool DoNormalize { get; init; } = true;
    public float[] ImageMean { get; init; } = ClipMean;
    public float[] ImageStd { get; init; } = ClipStd;

    public static ClipImageProcessorConfig Default { get; } = new();

    /// <summary>Parses preprocessor_config.json text; unknown keys are ignored, missing keys take CLIP's defaults.</summary>
    public static ClipImageProcessorConfig FromJson(string json, string source = "preprocessor_config.json")
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected a JSON object");
            var c = new ClipImageProcessorConfig
            {
                DoPad = Bool(r, "do_pad", false),
                DoResize = Bool(r, "do_resize", true),
                Resample = r.TryGetProperty("resample", out var rs) && rs.ValueKind == JsonValueKind.Number ? rs.GetInt32() : 3,
                DoCenterCrop = Bool(r, "do_center_crop", true),
                DoRescale = Bool(r, "do_rescale", true),
                RescaleFactor = r.TryGetProperty("rescale_factor", out var rf) && rf.ValueKind == JsonValueKind.Number ? rf.GetSingle() : 1f / 255f,
                DoNormalize = Bool(r, "do_normalize", true),
                ImageMean = Triple(r, "image_mean", ClipMean, source),
                ImageStd = Triple(r, "image_std", ClipStd, source),
            };
            if (r.TryGetProperty("size", out var size))
            {
                if (size.ValueKind == JsonValueKind.Number) c = c with { ShortestEdge = size.GetInt32() };
                else if (size.ValueKind == JsonValueKind.Object && size.TryGetProperty("shortest_edge", out var se)) c = c with { ShortestEdge = se.GetInt32() };
                else if (size.ValueKind == JsonValueKind.Object && size.TryGetProperty("height", out var h) && size.TryGetProperty("width", out var w))
                    c = c with { ShortestEdge = null, ResizeHeight = h.GetInt32(), ResizeWidth = w.GetInt32() };
                else throw new InvalidDataException($"{source}: 'size' must be an int, {{shortest_edge}} or {{height, width}}");
            }
            if (r.TryGetProperty("crop_size", out var crop))
            {
                if (crop.ValueKind == JsonValueKind.Number) c = c with { CropHeight = crop.GetInt32(), CropWidth = crop.GetInt32() };
                else if (crop.ValueKind == JsonValueKind.Object && crop.TryGetProperty("height", out var h) && crop.TryGetProperty("width", out var w))
                    c = c with { CropHeight = h.GetInt32(), CropWidth = w.GetInt32() };
                else throw new InvalidDataException($"{source}: 'crop_size' must be an int or {{height, width}}");
            }
            c.Validate(source);
            return c;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: malformed preprocessor config ({e.Message})", e);
        }
    }

    void Validate(string source)
    {
        if (DoResize && ShortestEdge is <= 0) throw new InvalidDataException($"{source}: size.shortest_edge must be > 0");
        if (DoResize && ShortestEdge is null && (ResizeHeight is not > 0 || ResizeWidth is not > 0))
            throw new InvalidDataException($"{source}: size.height/width must be > 0");
        if (DoCenterCrop && (CropHeight <= 0 || CropWidth <= 0)) throw new InvalidDataException($"{source}: crop_size must be > 0");
        if (Resample is < 0 or > 3) throw new InvalidDataException($"{source}: resample {Resample} not supported (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic)");
        if (ImageStd.Any(s => s == 0)) throw new InvalidDataException($"{source}: image_std must not contain 0");
    }

    static bool Bool(JsonElement r, string name, bool fallback) =>
        r.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    static float[] Triple(JsonElement r, string name, float[] fallback, string source)
    {
        if (!r.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind == JsonValueKind.Number) return [v.GetSingle(), v.GetSingle(), v.GetSingle()];
        var a = v.EnumerateArray().Select(x => x.GetSingle()).ToArray();
        return a.Length == 3 ? a : throw new InvalidDataException($"{source}: '{name}' must have 3 values, got {a.Length}");
    }
}
