using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Registry;

/// <summary>
/// The <c>Corrections</c> configuration section: how far people's corrections are trusted, the same for the gateway
/// that takes them and lists their standing and the trainer that learns from them (<see cref="CorrectionTrust"/>).
/// </summary>
public sealed class CorrectionsOptions
{
    public const string Section = "Corrections";

    /// <summary>Most corrections one client may have kept; beyond it its corrections are refused (429), and no one else's are.</summary>
    [Range(1, 10_000_000)]
    public int MaxPerClient { get; set; } = 1_000;

    /// <summary>Most of one client's corrections a training learns from (or is judged on); the rest are refused for that training.</summary>
    [Range(1, 10_000_000)]
    public int MaxTrainedPerClient { get; set; } = 250;

    /// <summary>
    /// An answer the model gave with at least this confidence is only corrected by two clients agreeing (or an admin's
    /// acceptance): one client alone saying a near-certain answer was wrong is more likely an attack than a mistake.
    /// </summary>
    [Range(0.5, 1.0)]
    public double ConfidentAnswer { get; set; } = 0.99;

    /// <summary>One client correcting the same image this many times is suspicious: none of those corrections is used.</summary>
    [Range(2, 1000)]
    public int SuspiciousRepeats { get; set; } = 3;
}
