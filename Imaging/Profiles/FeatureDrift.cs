namespace MnistEvents.Imaging.Profiles;

/// <summary>How far one feature of the live traffic has moved from the served version's data: its population stability index.</summary>
public sealed record FeatureDrift(string Feature, string Words, double Score);
