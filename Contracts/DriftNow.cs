namespace MnistEvents.Contracts;

/// <summary>
/// How far the live digits have drifted from the served version's data: over the last <paramref name="WindowMinutes"/>,
/// on <paramref name="Digits"/> live digits, each feature's population stability index (<paramref name="Features"/>) and
/// the overall <paramref name="Score"/>, the largest of them (<paramref name="Feature"/>); null while there is no score,
/// and <paramref name="State"/> says why in words.
/// </summary>
public sealed record DriftNow(string? Version, long Digits, double WindowMinutes, int MinDigits, double? Score, string? Feature,
    FeatureScore[] Features, string State, DateTimeOffset At);
