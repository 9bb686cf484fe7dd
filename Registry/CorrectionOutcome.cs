namespace MnistEvents.Registry;

/// <summary>What <see cref="CorrectionsLog.AddAsync"/> did with a correction.</summary>
public enum CorrectionOutcome
{
    Recorded,
    AlreadyCorrected,
    Full,
    ClientShareFull,
}
