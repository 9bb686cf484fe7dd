namespace MnistEvents.Gateway.Drift;

/// <summary><c>GET /models/drift</c>: the drift now and its history, oldest first.</summary>
public sealed record DriftHistory(DriftView Current, IReadOnlyList<DriftPoint> History);
