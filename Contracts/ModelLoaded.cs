namespace MnistEvents.Contracts;

/// <summary>Event: a predictor replica now serves <paramref name="Version"/> (at start-up or after a hot swap).</summary>
public sealed record ModelLoaded(string Replica, string Version, string Sha256, string Architecture, double? TestAccuracy, DateTimeOffset LoadedAt);
