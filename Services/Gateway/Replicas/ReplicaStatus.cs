namespace MnistEvents.Gateway.Replicas;

/// <summary>
/// What <c>GET /models</c> shows of one live predictor replica; <paramref name="BatchConcurrency"/>: the batches it runs at
/// once (1 until its first heartbeat says); <paramref name="Host"/> and <paramref name="HostCores"/>: the machine whose cores
/// it shares with the other replicas there, and how many (0: it has cores of its own, a CPU limit).
/// </summary>
public sealed record ReplicaStatus(string Replica, string? ModelVersion, long Predictions, DateTimeOffset LastSeen, int BatchConcurrency = 1,
    string? Host = null, int HostCores = 0);
