namespace Vhw.Modeling.Processing;

/// <summary>A preprocessed image: CHW floats (3, Height, Width), row-major; the caller makes the tensor.</summary>
public sealed record ProcessedImage(float[] Pixels, int Width, int Height, int SourceWidth, int SourceHeight);
