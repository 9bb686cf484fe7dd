namespace MnistEvents.Imaging;

/// <summary>An upload refused by <see cref="DigitPreprocessor"/>; <see cref="Exception.Message"/> says what was wrong in words a user can act on.</summary>
public sealed class ImageRejectedException(ImageRejection reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ImageRejection Reason { get; } = reason;
}
