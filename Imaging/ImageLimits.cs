namespace MnistEvents.Imaging;

/// <summary>Upper bounds checked before any pixel is decoded.</summary>
public sealed record ImageLimits
{
    /// <summary>Largest accepted file, in bytes.</summary>
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Largest accepted width × height: a 24-megapixel photo passes, a decompression bomb does not.</summary>
    public long MaxPixels { get; init; } = 24_000_000;

    public static ImageLimits Default { get; } = new();
}
