using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Controller.Drift;

/// <summary>The <c>Drift</c> configuration section: how the controller compares the live traffic with the served version's data, checked at start.</summary>
public sealed class DriftOptions
{
    public const string Section = "Drift";

    /// <summary>The sliding window of live digits compared with the served version's data.</summary>
    [Range(0.05, 1440)]
    public double WindowMinutes { get; set; } = 10;

    /// <summary>Fewest digits in the window for a score: on fewer, chance alone moves the index.</summary>
    [Range(10, 10_000_000)]
    public int MinDigits { get; set; } = 200;

    /// <summary>How often the score is taken and kept for its history.</summary>
    [Range(0.1, 3600)]
    public double SampleSeconds { get; set; } = 10;

    /// <summary>How many of those scores the history keeps (360 at 10 s: the last hour).</summary>
    [Range(1, 100_000)]
    public int HistoryPoints { get; set; } = 360;
}
