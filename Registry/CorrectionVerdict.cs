namespace MnistEvents.Registry;

/// <summary>What an admin decided about one correction.</summary>
public enum CorrectionVerdict
{
    /// <summary>Trusted as it is: trained on even where the rules would hold it back.</summary>
    Accepted,

    /// <summary>Never trained on.</summary>
    Rejected,

    /// <summary>Gone: not trained on, not listed, not counted against its client's share.</summary>
    Deleted,
}
