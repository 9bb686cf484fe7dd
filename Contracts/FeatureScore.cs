namespace MnistEvents.Contracts;

/// <summary>How far one feature of the live digits has moved from the served version's data: its population stability index, and the feature in words.</summary>
public sealed record FeatureScore(string Feature, string Words, double Score);
