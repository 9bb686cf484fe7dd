using MnistEvents.Contracts;

namespace MnistEvents.Imaging.Profiles;

/// <summary>
/// Arithmetic on <see cref="InputProfile"/>s (the sum of several replicas', what came between two cumulative reports)
/// and the comparison of a live one with a baseline: the population stability index of each feature,
/// Σ (live − base) · ln(live ÷ base) over its bins' shares, the usual measure of a shifted distribution (under 0.1:
/// stable; 0.1–0.25: moving; above 0.25: shifted). A profile whose features are not <see cref="DigitFeatures.All"/>'s,
/// bin for bin, is not counted.
/// </summary>
public static class InputProfiles
{
    // An empty bin on either side would make the index infinite: every bin gets half a count more on both sides, which
    // also keeps a bin that a few hundred live digits happened to miss from weighing as if it could never be filled.
    private const double Smoothing = 0.5;

    /// <summary>Above this a feature's index is usually read as a shifted population (and the retrain policy's drift rule fires by default).</summary>
    public const double Shifted = 0.25;

    public static InputProfile Empty { get; } = new InputProfiler().ToProfile();

    /// <summary>True when <paramref name="profile"/> has exactly the features and bins counted here.</summary>
    public static bool IsWellFormed(InputProfile? profile) =>
        profile is { Digits: >= 0, Features: { } features } && features.Length == DigitFeatures.All.Count
        && features.Zip(DigitFeatures.All).All(p => p.First is { Counts: { } counts } && p.First.Feature == p.Second.Name
            && counts.Length == p.Second.Bins && counts.All(c => c >= 0));

    public static InputProfile Sum(IEnumerable<InputProfile> profiles)
    {
        var digits = 0L;
        var counts = DigitFeatures.All.Select(f => new long[f.Bins]).ToArray();
        foreach (var profile in profiles.Where(IsWellFormed))
        {
            digits += profile.Digits;
            for (var f = 0; f < counts.Length; f++)
            for (var b = 0; b < counts[f].Length; b++)
                counts[f][b] += profile.Features[f].Counts[b];
        }
        return Build(digits, counts);
    }

    /// <summary>What was counted after <paramref name="earlier"/> up to <paramref name="later"/>, both cumulative; null when <paramref name="later"/> is not its continuation (the counter restarted).</summary>
    public static InputProfile? Since(InputProfile later, InputProfile earlier)
    {
        if (!IsWellFormed(later) || !IsWellFormed(earlier) || later.Digits < earlier.Digits) return null;
        var counts = new long[DigitFeatures.All.Count][];
        for (var f = 0; f < counts.Length; f++)
        {
            counts[f] = new long[DigitFeatures.All[f].Bins];
            for (var b = 0; b < counts[f].Length; b++)
            {
                var difference = later.Features[f].Counts[b] - earlier.Features[f].Counts[b];
                if (difference < 0) return null;
                counts[f][b] = difference;
            }
        }
        return Build(later.Digits - earlier.Digits, counts);
    }

    /// <summary>Each feature's population stability index, <paramref name="live"/> against <paramref name="baseline"/>; a feature either side has nothing counted for is left out.</summary>
    public static IReadOnlyList<FeatureDrift> Compare(InputProfile baseline, InputProfile live)
    {
        if (!IsWellFormed(baseline) || !IsWellFormed(live)) return [];
        var drift = new List<FeatureDrift>();
        for (var f = 0; f < DigitFeatures.All.Count; f++)
        {
            var feature = DigitFeatures.All[f];
            if (Index(baseline.Features[f].Counts, live.Features[f].Counts) is { } score) drift.Add(new FeatureDrift(feature.Name, feature.Words, score));
        }
        return drift;
    }

    /// <summary>The population stability index of <paramref name="actual"/> against <paramref name="expected"/>, or null when either is empty.</summary>
    public static double? Index(IReadOnlyList<long> expected, IReadOnlyList<long> actual)
    {
        if (expected.Count != actual.Count) throw new ArgumentException("both histograms need the same bins");
        double expectedTotal = expected.Sum(), actualTotal = actual.Sum();
        if (expectedTotal <= 0 || actualTotal <= 0) return null;
        expectedTotal += Smoothing * expected.Count;
        actualTotal += Smoothing * actual.Count;
        var index = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var e = (expected[i] + Smoothing) / expectedTotal;
            var a = (actual[i] + Smoothing) / actualTotal;
            index += (a - e) * Math.Log(a / e);
        }
        return index;
    }

    private static InputProfile Build(long digits, long[][] counts) =>
        new(digits, DigitFeatures.All.Select((f, i) => new FeatureCounts(f.Name, counts[i])).ToArray());
}
