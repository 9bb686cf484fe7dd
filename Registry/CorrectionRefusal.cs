namespace MnistEvents.Registry;

/// <summary>Why a kept correction is not trained on (<see cref="CorrectionTrust"/>).</summary>
public enum CorrectionRefusal
{
    /// <summary>The same image was corrected to different labels.</summary>
    Contradictory,

    /// <summary>One client corrected the same image again and again.</summary>
    Repeated,

    /// <summary>The same image, with the same label, is already trusted from an earlier correction: an image counts once.</summary>
    Duplicate,

    /// <summary>It contradicts a near-certain answer and no second client (or admin) agrees yet; it may be used later.</summary>
    AwaitingCorroboration,

    /// <summary>Its client's corrections already fill that client's share of a training.</summary>
    OverClientShare,

    /// <summary>An admin rejected it.</summary>
    Rejected,
}
