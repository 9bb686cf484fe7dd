namespace MnistEvents.Contracts;

/// <summary>One feature's histogram within an <see cref="InputProfile"/>: how many digits fell in each of its bins.</summary>
public sealed record FeatureCounts(string Feature, long[] Counts);
