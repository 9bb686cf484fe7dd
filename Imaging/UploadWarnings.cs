namespace MnistEvents.Imaging;

/// <summary>
/// What makes an answer doubtful, in words a person can act on: a digit that fills a tiny part of the picture or has
/// few pixels, faint ink, other marks beside the digit. Each rule and its threshold lives here once.
/// </summary>
internal static class UploadWarnings
{
    // The digit spans less than this share of the picture's width and height alike.
    private const double SmallShare = 0.1;

    // Fewer source pixels than this across the digit's taller side: MNIST's own digits are 20.
    private const int FewPixels = 14;

    // Ink absorbing less than this share of the paper's light, or standing fewer noise deviations above it.
    private const float FaintContrast = 0.2f;
    private const float FaintSignalToNoise = 6;

    public static IReadOnlyList<string> For(DigitInk digit, int width, int height, double sourcePixelsPerPixel)
    {
        var warnings = new List<string>();
        var share = Math.Max(digit.Width / (double)width, digit.Height / (double)height);
        var tall = (int)Math.Round(Math.Max(digit.Width, digit.Height) * sourcePixelsPerPixel);
        if (share < SmallShare)
            warnings.Add($"The digit fills only a small part of the picture (about {100 * share:0}% of its size): crop closer to it, or take the photo nearer.");
        else if (tall < FewPixels)
            warnings.Add($"The digit is only {tall} pixels tall: send a larger image of it.");
        if (digit.Contrast < FaintContrast || digit.SignalToNoise < FaintSignalToNoise)
            warnings.Add($"The ink is faint ({100 * digit.Contrast:0}% darker than the paper{(digit.SignalToNoise < FaintSignalToNoise ? ", and barely above the picture's noise" : "")}): a darker pen, more light or a scan would read surer.");
        if (digit.OtherMarks > 0)
            warnings.Add(digit.OtherMarks == 1
                ? "Another mark was found besides the digit; the largest one was read: crop to the one digit."
                : $"{digit.OtherMarks} other marks were found besides the digit; the largest one was read: crop to the one digit.");
        return warnings;
    }
}
