namespace Vhw.Modeling.Processing;

/// <summary>
/// Pillow's <c>Image.resize</c> for 8-bit RGB (libImaging/Resample.c), ported so our pixels equal HF's:
/// separable two-pass convolution (horizontal, then vertical), antialiased when shrinking (support × scale),
/// fixed-point coefficients with 22 fractional bits, and rounding + clipping to uint8 after each pass.
/// Nearest follows ImagingScaleAffine. Buffers are interleaved RGB, row-major.
/// </summary>
public static class PilResample
{
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>PIL resample codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic.</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight, int pilFilter)
    {
        if (pilFilter == 0) return Nearest(rgb, width, height, newWidth, newHeight);
        var (filter, support) = Filter(pilFilter);
        var (vBounds, vK, vSize) = Coefficients(height, newHeight, filter, support);
        bool needH = newWidth != width, needV = newHeight != height;
        byte[] src = rgb;
        int srcH = height, firstRow = 0;
        if (needH)
        {
            var (hBounds, hK, hSize) = Coefficients(width, newWidth, filter, support);
            firstRow = vBounds[0];
            int lastRow = vBounds[2 * newHeight - 2] + vBounds[2 * newHeight - 1];
            srcH = lastRow - firstRow;
            var tmp = new byte[newWidth * srcH * 3];
            for (int y = 0; y < srcH; y++)
                for (int x = 0; x < newWidth; x++)
                    Convolve(src, ((y + firstRow) * width + hBounds[2 * x]) * 3, 3, hBounds[2 * x + 1], hK, x * hSize, tmp, (y * newWidth + x) * 3);
            src = tmp;
            width = newWidth;
        }
        if (!needV) return needH ? src : (byte[])src.Clone();
        var outp = new byte[width * newHeight * 3];
        for (int y = 0; y < newHeight; y++)
        {
            int ymin = vBounds[2 * y] - (needH ? firstRow : 0);
            for (int x = 0; x < width; x++)
                Convolve(src, (ymin * width + x) * 3, width * 3, vBounds[2 * y + 1], vK, y * vSize, outp, (y * width + x) * 3);
        }
        return outp;
    }

    static void Convolve(byte[] src, int start, int stride, int count, int[] k, int kOffset, byte[] dst, int dstOffset)
    {
        int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
        for (int i = 0; i < count; i++)
        {
            int p = start + i * stride, w = k[kOffset + i];
            s0 += src[p] * w;
            s1 += src[p + 1] * w;
            s2 += src[p + 2] * w;
        }
        dst[dstOffset] = Clip8(s0);
        dst[dstOffset + 1] = Clip8(s1);
        dst[dstOffset + 2] = Clip8(s2);
    }

    static byte Clip8(int v) => v >= (1 << PrecisionBits << 8) ? (byte)255 : v <= 0 ? (byte)0 : (byte)(v >> PrecisionBits);

    /// <summary>precompute_coeffs + normalize_coeffs_8bpc: per output pixel (first input index, count) and fixed-point weights.</summary>
    static (int[] Bounds, int[] K, int KSize) Coefficients(int inSize, int outSize, Func<double, double> filter, double support0)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double support = support0 * filterScale;
        int kSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var k = new int[outSize * kSize];
        var w = new double[kSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale, ss = 1.0 / filterScale, sum = 0;
            int xmin = Math.Max(0, (int)(center - support + 0.5));
            int xmax = Math.Min(inSize, (int)(center + support + 0.5)) - xmin;
            for (int x = 0; x < xmax; x++) sum += w[x] = filter((x + xmin - center + 0.5) * ss);
            for (int x = 0; x < xmax; x++)
            {
                double v = sum != 0 ? w[x] / sum : w[x];
                k[xx * kSize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return (bounds, k, kSize);
    }

    static (Func<double, double>, double) Filter(int pil) => pil switch
    {
        1 => (Lanczos, 3.0),
        2 => (x => Math.Abs(x) < 1.0 ? 1.0 - Math.Abs(x) : 0.0, 1.0),
        3 => (Bicubic, 2.0),
        _ => throw new ArgumentException($"PIL resample {pil} not supported (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic)"),
    };

    static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    static double Lanczos(double x) => -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;

    static double Sinc(double x) => x == 0.0 ? 1.0 : Math.Sin(x * Math.PI) / (x * Math.PI);

    /// <summary>ImagingScaleAffine: source index = trunc(position), the position accumulated as Pillow does (xo += scale).</summary>
    static byte[] Nearest(byte[] rgb, int width, int height, int newWidth, int newHeight)
    {
        int[] xs = NearestIndex(width, newWidth), ys = NearestIndex(height, newHeight);
        var outp = new byte[newWidth * newHeight * 3];
        for (int y = 0; y < newHeight; y++)
            for (int x = 0; x < newWidth; x++)
                Array.Copy(rgb, (ys[y] * width + xs[x]) * 3, outp, (y * newWidth + x) * 3, 3);
        return outp;
    }

    static int[] NearestIndex(int inSize, int outSize)
    {
        double a = (double)inSize / outSize, pos = a * 0.5;
        var idx = new int[outSize];
        for (int i = 0; i < outSize; i++, pos += a) idx[i] = Math.Min(inSize - 1, (int)pos);
        return idx;
    }
}
