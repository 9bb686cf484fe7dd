namespace MnistEvents.Contracts;

/// <summary>
/// One rule of the retrain policy: its <paramref name="Condition"/> in words and the number it compares with
/// (<paramref name="Threshold"/>: corrections, a share, or a drift score), whether it is configured on, what it measures
/// now (<paramref name="Now"/>, null until checked), whether it holds, and the cause it would fire for.
/// </summary>
public sealed record PolicyRule(string Rule, string Condition, double Threshold, bool On, string? Now, bool Holds, string? Cause);
