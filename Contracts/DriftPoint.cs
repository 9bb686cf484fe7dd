namespace MnistEvents.Contracts;

/// <summary>One score in the drift history: when, for which served version, on how many live digits, and the largest feature's index (null while too few digits).</summary>
public sealed record DriftPoint(DateTimeOffset At, string? Version, long Digits, double? Score, string? Feature);
