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

    /// <summary>Decoding would need more memory or time than <see cref="ImageLimits"/> allow, whatever the header said.</summary>
    TooCostlyToDecode,
}
