namespace MnistEvents.Imaging;

/// <summary>What one upload may cost: checked on the header before decoding, and enforced while decoding.</summary>
public sealed record ImageLimits
{
    /// <summary>Largest accepted file, in bytes.</summary>
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Largest accepted width × height: a 24-megapixel photo passes, a decompression bomb does not.</summary>
    public long MaxPixels { get; init; } = 24_000_000;

    /// <summary>Most memory the decoder may hold at once for one image: a 24-megapixel JPEG or PNG fits, a header that lies does not.</summary>
    public long MaxDecodeBytes { get; init; } = 192L * 1024 * 1024;

    /// <summary>Longest one image may take to decode (a progressive JPEG with thousands of scans is slow, not big).</summary>
    public TimeSpan MaxDecodeTime { get; init; } = TimeSpan.FromSeconds(5);

    public static ImageLimits Default { get; } = new();
}
