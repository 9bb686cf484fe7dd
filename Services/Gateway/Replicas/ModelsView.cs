namespace MnistEvents.Gateway.Replicas;

/// <summary>The answer of <c>GET /models</c>: the version most replicas serve, every live replica, and the latest refusals.</summary>
public sealed record ModelsView(ServedModelInfo? Current, IReadOnlyList<ReplicaStatus> Replicas, IReadOnlyList<string> RecentRejections);
