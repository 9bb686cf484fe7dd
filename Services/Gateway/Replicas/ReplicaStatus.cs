namespace MnistEvents.Gateway.Replicas;

/// <summary>What <c>GET /models</c> shows of one live predictor replica.</summary>
public sealed record ReplicaStatus(string Replica, string? ModelVersion, long Predictions, DateTimeOffset LastSeen);
