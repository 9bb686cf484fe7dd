namespace MnistEvents.Contracts;

/// <summary>
/// Event: a predictor replica's periodic heartbeat, so the gateway can list the live replicas and what each serves.
/// It describes the served model too, so a gateway that started after the model's <see cref="ModelLoaded"/> still knows it,
/// and what the digits it answered with that model looked like (<paramref name="Inputs"/>, counted since it began serving
/// it here), which the gateway compares with the model's own data to see the live traffic drift.
/// <paramref name="BatchConcurrency"/>: how many batches the replica runs at once, so the gateway keeps no more in flight
/// than the replicas can take (a batch waiting in the broker can no longer be joined by the digits arriving after it).
/// <paramref name="Host"/> and <paramref name="HostCores"/>: the machine the replica runs on and its cores, when the replica
/// shares them with whatever else runs there (no CPU limit of its own; 0 when it has one): replicas sharing a host's cores
/// run no more batches at once than it has cores, however many each could run.
/// </summary>
public sealed record ReplicaReported(
    string Replica,
    string? ModelVersion,
    string? Architecture,
    double? TestAccuracy,
    DateTimeOffset? TrainedAt,
    long Predictions,
    DateTimeOffset At,
    InputProfile? Inputs = null,
    int BatchConcurrency = 1,
    string? Host = null,
    int HostCores = 0);
