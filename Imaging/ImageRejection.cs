namespace MnistEvents.Imaging;

/// <summary>Why an upload cannot be classified; the gateway maps each to its own 4xx status.</summary>
public enum ImageRejection
{
    Empty,
    TooManyBytes,
    NotAnImage,
    UnsupportedFormat,
    TooManyPixels,
    NoDigit,
}
