using MnistEvents.Imaging.Profiles;

namespace MnistEvents.Gateway.Drift;

/// <summary>
/// How far the live traffic has drifted from the served version's data: over the last <paramref name="WindowMinutes"/>,
/// on <paramref name="Digits"/> live digits, each feature's population stability index (<paramref name="Features"/>) and
/// the overall <paramref name="Score"/>, the largest of them (<paramref name="Feature"/>); null while there is no score,
/// and <paramref name="State"/> says why in words.
/// </summary>
public sealed record DriftView(string? Version, long Digits, double WindowMinutes, int MinDigits, double? Score, string? Feature,
    IReadOnlyList<FeatureDrift> Features, string State, DateTimeOffset At);
