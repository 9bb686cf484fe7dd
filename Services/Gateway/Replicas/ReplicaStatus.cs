namespace MnistEvents.Gateway.Replicas;

/// <summary>What <c>GET /models</c> shows of one live predictor replica; <paramref name="BatchConcurrency"/>: the batches it runs at once (1 until its first heartbeat says).</summary>
public sealed record ReplicaStatus(string Replica, string? ModelVersion, long Predictions, DateTimeOffset LastSeen, int BatchConcurrency = 1);
