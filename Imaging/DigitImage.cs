namespace MnistEvents.Imaging;

/// <summary>A digit in MNIST's own form: 28×28 bytes, row-major, white ink (255) on black (0), centred by centre of mass.</summary>
public sealed record DigitImage(byte[] Pixels, string SourceFormat, int SourceWidth, int SourceHeight)
{
    public const int Side = 28;
    public const int PixelCount = Side * Side;

    /// <summary>The most memory the decoder held at once for this image, in bytes.</summary>
    public long DecodePeakBytes { get; init; }

    /// <summary>Why the answer may be doubtful, in words a person can act on (crop closer, retake); empty when nothing was.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
