namespace MnistEvents.Gateway.Predictions;

/// <summary>Why <see cref="FairDecodeQueue"/> would not line an image up.</summary>
public enum DecodeRefusal
{
    /// <summary>This client's line is full, or the longest when every line is: its own overload, a 429.</summary>
    ClientLineFull,

    /// <summary>Every line together is full: the gateway's overload, a 503.</summary>
    Busy,
}
