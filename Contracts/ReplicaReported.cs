namespace MnistEvents.Contracts;

/// <summary>Event: a predictor replica's periodic heartbeat, so the gateway can list the live replicas and what each serves.</summary>
public sealed record ReplicaReported(string Replica, string? ModelVersion, long Predictions, DateTimeOffset At);
