namespace MnistEvents.Contracts;

/// <summary>
/// Event: a predictor replica's periodic heartbeat, so the gateway can list the live replicas and what each serves.
/// It describes the served model too, so a gateway that started after the model's <see cref="ModelLoaded"/> still knows it.
/// </summary>
public sealed record ReplicaReported(
    string Replica,
    string? ModelVersion,
    string? Architecture,
    double? TestAccuracy,
    DateTimeOffset? TrainedAt,
    long Predictions,
    DateTimeOffset At);
