using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vhw.Modeling.Processing;

namespace Vhw.Modeling.Tests;

public sealed class ImageProcessorTests : IDisposable
{
    static readonly float[] M = ClipImageProcessorConfig.ClipMean, S = ClipImageProcessorConfig.ClipStd;

    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vhw-img-");

    public void Dispose() => _dir.Delete(recursive: true);

    static ClipImageProcessor Processor(int shortest, int crop, bool pad = false) =>
        new(new ClipImageProcessorConfig { ShortestEdge = shortest, CropHeight = crop, CropWidth = crop, DoPad = pad });

    static float Norm(int v, int ch) => (float)((v / 255.0 - M[ch]) / S[ch]);

    [Fact]
    public void Crop_and_normalise_match_hand_computation()
    {
        // 4x2 image, short side already 2 → no resize; centre crop 2x2 keeps columns (4-2)//2 = 1 and 2.
        using var img = new Image<Rgb24>(4, 2);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 4; x++) img[x, y] = new Rgb24((byte)(10 * x + 100 * y), (byte)(50 + x), (byte)(255 - 7 * y));
        float[] chw = Processor(2, 2).Preprocess(img);
        Assert.Equal(3 * 2 * 2, chw.Length);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
            {
                var p = img[x + 1, y];
                Assert.Equal(Norm(p.R, 0), chw[0 * 4 + y * 2 + x], 5);
                Assert.Equal(Norm(p.G, 1), chw[1 * 4 + y * 2 + x], 5);
                Assert.Equal(Norm(p.B, 2), chw[2 * 4 + y * 2 + x], 5);
            }
    }

    [Fact]
    public void Resize_then_crop_of_a_constant_image_keeps_the_colour()
    {
        // 8x4 → shortest edge 2 → 4x2 (long = int(2*8/4)) → crop 2x2; bicubic of a constant is the constant.
        using var img = new Image<Rgb24>(8, 4, new Rgb24(100, 150, 200));
        var proc = Processor(2, 2);
        var g = proc.Geometry(8, 4);
        Assert.Equal((4, 2, 1, 0), (g.ResizedWidth, g.ResizedHeight, g.CropLeft, g.CropTop));
        float[] chw = proc.Preprocess(img);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Norm(100, 0), chw[i], 4);
            Assert.Equal(Norm(150, 1), chw[4 + i], 4);
            Assert.Equal(Norm(200, 2), chw[8 + i], 4);
        }
    }

    [Fact]
    public void Pad_to_square_uses_the_mean_colour_as_background()
    {
        using var img = new Image<Rgb24>(4, 2, new Rgb24(255, 255, 255));
        var proc = new ClipImageProcessor(new ClipImageProcessorConfig { DoPad = true, DoResize = false, DoCenterCrop = false, DoNormalize = false, DoRescale = false });
        float[] chw = proc.Preprocess(img);
        Assert.Equal(3 * 4 * 4, chw.Length);
        // rows 0 and 3 are padding: int(mean * 255) = (122, 116, 104); rows 1-2 the white image.
        Assert.Equal([122f, 122f, 122f, 122f, 255f, 255f, 255f, 255f, 255f, 255f, 255f, 255f, 122f, 122f, 122f, 122f], chw[..16]);
        Assert.Equal(116f, chw[16]);
        Assert.Equal(104f, chw[32]);
    }

    [Fact]
    public void Config_reads_old_and_new_hf_formats()
    {
        var old = ClipImageProcessorConfig.FromJson("""{"crop_size": 336, "size": 336, "do_center_crop": true, "resample": 3}""");
        Assert.Equal((336, 336, 336), (old.ShortestEdge!.Value, old.CropHeight, old.CropWidth));
        var cur = ClipImageProcessorConfig.FromJson("""
            {"size": {"shortest_edge": 24}, "crop_size": {"height": 20, "width": 22}, "do_rescale": true,
             "rescale_factor": 0.5, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25], "do_pad": true}
            """);
        Assert.Equal((24, 20, 22, 0.5f, true), (cur.ShortestEdge!.Value, cur.CropHeight, cur.CropWidth, cur.RescaleFactor, cur.DoPad));
        Assert.Equal(224, ClipImageProcessor.Load(_dir.FullName).Config.CropHeight); // no file → CLIP defaults
        Assert.Contains("malformed", Assert.Throws<InvalidDataException>(() => ClipImageProcessorConfig.FromJson("{ nope")).Message);
    }

    [Fact]
    public void Preprocess_path_reports_missing_non_image_truncated_and_oversized_files()
    {
        string png = Path.Combine(_dir.FullName, "ok.png");
        using (var img = new Image<Rgb24>(40, 30, new Rgb24(1, 2, 3))) img.SaveAsPng(png);
        var proc = Processor(4, 4);
        var ok = proc.Preprocess(png);
        Assert.Equal((4, 4, 40, 30, 48), (ok.Width, ok.Height, ok.SourceWidth, ok.SourceHeight, ok.Pixels.Length));

        string missing = Path.Combine(_dir.FullName, "nope.png");
        Assert.Contains("image not found", Assert.Throws<FileNotFoundException>(() => proc.Preprocess(missing)).Message);

        string text = Path.Combine(_dir.FullName, "text.png");
        File.WriteAllText(text, "not an image at all");
        Assert.Contains("not a recognised image", Assert.Throws<InvalidDataException>(() => proc.Preprocess(text)).Message);

        string cut = Path.Combine(_dir.FullName, "cut.png");
        var bytes = File.ReadAllBytes(png);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => proc.Preprocess(cut));
        Assert.Contains("corrupt or truncated", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var capped = new ClipImageProcessor(proc.Config) { MaxPixels = 1000 };
        Assert.Contains("image too large: 40x30", Assert.Throws<InvalidDataException>(() => capped.Preprocess(png)).Message);
    }

    /// <summary>Golden outputs of Pillow 9.4 <c>Image.resize(size, resample)</c> on a 7x5 pattern (what HF's CLIP processor calls).</summary>
    [Theory]
    [InlineData(4, 3, 3, "130d5351496a95ac44d3a582253d67637d4ea76f6dea5b40376d4675ae70bf7f42a56780")]
    [InlineData(11, 8, 3, "0000ff0c01a4270d003f25005647606e73ff86bd6d9db100b54600d08f9be0dcff030a9f110d562c190044315d5b5293737f9e8bd334a2c815ba526ed5a294e5f69a091e02192200342e224c46da6368bb7b940393d704aaca50c267f9ddab77edf3000f30002034543b40d053587c6a813082a6009a668fb14cc4c97560e45f16f4480016424d2646934152c6596a2270970b88b855a036b9b716a6cf8500ef4221ff00561d54fc2d589c486409607c0077a85f8fcafda7566cbe3706d69700f55e94ff21fd256978356d3e5079036891807fbda297df77af6b24ca4c21e4ac969e73906536712a75003a790055851b6d9de984c9c69ceb00b47700d2584decb8ff5d7f7b004200")]
    [InlineData(3, 7, 2, "2011626f726fbe966226224d75835ec4a76c2e364d7d8652cc9264364b73857052d43e3e3e60678d8567dc5358467453959963bd67694c853e9baa528f7873")]
    [InlineData(5, 2, 1, "101864443658789365ab8753eb8f6e2a5c5c5e875f91a85ecc5f58b95a6b")]
    [InlineData(4, 4, 0, "0000ff4a340a94d00aded4ff0b1d0a5551ff9fed0ae9f10a2157ff6b8b0ab5270aff2bff2c740a76a8ffc0440a0a480a")]
    public void Resize_matches_pillow_bit_for_bit(int w, int h, int filter, string expectedHex)
    {
        const int W = 7, H = 5;
        var src = new byte[W * H * 3];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = (y * W + x) * 3;
                (src[i], src[i + 1], src[i + 2]) = ((byte)((x * 37 + y * 11) % 256), (byte)((x * x * 13 + y * 29) % 256), (byte)((x + y) % 3 == 0 ? 255 : 10));
            }
        Assert.Equal(expectedHex, Convert.ToHexStringLower(PilResample.Resize(src, W, H, w, h, filter)));
    }

    // Region → patch mapping, hand-computed. Cells are patchSize px; index = row * grid + col.
    [Theory]
    // identity (32x32, no resize, no crop), patch 8, grid 4
    [InlineData(32, 32, 32, 32, false, 8, 8, 16, 16, new[] { 5 })]
    [InlineData(32, 32, 32, 32, false, 8, 8, 17, 16, new[] { 5, 6 })]
    [InlineData(32, 32, 32, 32, false, 30, 30, 99, 99, new[] { 15 })] // clipped to the image
    // resize 64→32 (scale 0.5): (16,16,32,48) → (8,8,16,24) → rows 1-2, col 1
    [InlineData(64, 64, 32, 32, false, 16, 16, 32, 48, new[] { 5, 9 })]
    // crop: 64x32 stays 64x32, crop 32 → left 16; box in the cropped-away strip selects nothing
    [InlineData(64, 32, 32, 32, false, 0, 0, 16, 32, new int[0])]
    [InlineData(64, 32, 32, 32, false, 16, 0, 24, 8, new[] { 0 })]
    [InlineData(64, 32, 32, 32, false, 40, 8, 60, 16, new[] { 7 })] // x 24..44 → 24..32 after the crop
    // resize + crop: 128x64 → 64x32 → crop left 16; (40,0,56,16) → (20,0,28,8) → (4,0,12,8) → cols 0-1
    [InlineData(128, 64, 32, 32, false, 40, 0, 56, 16, new[] { 0, 1 })]
    // pad to square: 64x32 → 64x64 (top 16) → 32x32; (0,0,16,16) → (0,8,8,16) → row 1, col 0
    [InlineData(64, 32, 32, 32, true, 0, 0, 16, 16, new[] { 4 })]
    public void Region_patches_follow_pad_resize_and_crop(int w, int h, int shortest, int crop, bool pad,
        float x0, float y0, float x1, float y1, int[] expected)
    {
        var proc = Processor(shortest, crop, pad);
        Assert.Equal(expected, proc.RegionPatches([x0, y0, x1, y1], w, h, patchSize: 8, gridSize: 4));
    }

    [Fact]
    public void Region_patches_for_llava_geometry()
    {
        // 640x480 → 448x336 (scale 0.7) → crop left 56; pixel (320,240) → (168,168) → cell (12,12) of 24x24 at 14 px.
        var proc = Processor(336, 336);
        Assert.Equal([12 * 24 + 12], proc.RegionPatches([320, 240, 321, 241], 640, 480, 14, 24));
        Assert.Equal(Enumerable.Range(0, 576), proc.RegionPatches([0, 0, 640, 480], 640, 480, 14, 24));
        Assert.Throws<ArgumentException>(() => proc.RegionPatches([0, 0, 1, 1], 640, 480, 14, 20));
    }
}
