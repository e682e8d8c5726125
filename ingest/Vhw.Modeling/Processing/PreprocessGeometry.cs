namespace Vhw.Modeling.Processing;

/// <summary>
/// Where a source image's pixels end up after pad-to-square → resize → centre crop. The one place this
/// geometry is computed: <see cref="ClipImageProcessor.Preprocess(SixLabors.ImageSharp.Image{SixLabors.ImageSharp.PixelFormats.Rgb24})"/>
/// draws pixels with it and <see cref="ClipImageProcessor.RegionPatches"/> maps boxes with it.
/// </summary>
/// <param name="PadLeft">Offset of the source inside the padded square (0 without padding).</param>
/// <param name="PaddedWidth">Canvas size before resizing (= source size without padding).</param>
/// <param name="ResizedWidth">Size after resizing (= padded size without resizing).</param>
/// <param name="CropLeft">First resized column kept; negative when the crop is larger (then zero-padded).</param>
/// <param name="OutputWidth">Final width (crop width, or resized width without cropping).</param>
public sealed record PreprocessGeometry(
    int SourceWidth, int SourceHeight,
    int PadLeft, int PadTop, int PaddedWidth, int PaddedHeight,
    int ResizedWidth, int ResizedHeight,
    int CropLeft, int CropTop, int OutputWidth, int OutputHeight)
{
    public static PreprocessGeometry Compute(ClipImageProcessorConfig c, int sourceWidth, int sourceHeight)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0) throw new ArgumentException($"image size must be positive, got {sourceWidth}x{sourceHeight}");
        int pw = sourceWidth, ph = sourceHeight, padLeft = 0, padTop = 0;
        if (c.DoPad)
        {
            // LLaVA expand2square: paste at ((side - w) // 2, (side - h) // 2).
            pw = ph = Math.Max(sourceWidth, sourceHeight);
            padLeft = (pw - sourceWidth) / 2;
            padTop = (ph - sourceHeight) / 2;
        }
        int rw = pw, rh = ph;
        if (c.DoResize)
        {
            if (c.ShortestEdge is int s)
            {
                // HF get_resize_output_image_size(default_to_square=False): short → s, long → int(s * long / short).
                int shortSide = Math.Min(pw, ph), longSide = Math.Max(pw, ph);
                int newLong = (int)((long)s * longSide / shortSide);
                (rw, rh) = pw <= ph ? (s, newLong) : (newLong, s);
            }
            else (rw, rh) = (c.ResizeWidth!.Value, c.ResizeHeight!.Value);
        }
        int ow = rw, oh = rh, cropLeft = 0, cropTop = 0;
        if (c.DoCenterCrop)
        {
            (ow, oh) = (c.CropWidth, c.CropHeight);
            cropLeft = FloorDiv(rw - ow, 2); // HF center_crop: (orig - crop) // 2
            cropTop = FloorDiv(rh - oh, 2);
        }
        return new(sourceWidth, sourceHeight, padLeft, padTop, pw, ph, rw, rh, cropLeft, cropTop, ow, oh);
    }

    /// <summary>Maps a source-pixel x coordinate (continuous, pixel edges at integers) to output coordinates.</summary>
    public double MapX(double x) => (x + PadLeft) * ResizedWidth / PaddedWidth - CropLeft;

    public double MapY(double y) => (y + PadTop) * ResizedHeight / PaddedHeight - CropTop;

    static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
