namespace MnistEvents.Contracts;

/// <summary>Event: a predictor replica now serves <paramref name="Version"/> (at start-up or after a hot swap), trained at <paramref name="TrainedAt"/>.</summary>
public sealed record ModelLoaded(
    string Replica,
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    DateTimeOffset TrainedAt,
    DateTimeOffset LoadedAt);
