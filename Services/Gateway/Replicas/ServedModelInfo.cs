namespace MnistEvents.Gateway.Replicas;

/// <summary>A model version some replica has announced, as <c>GET /models</c> shows it.</summary>
public sealed record ServedModelInfo(string Version, string Architecture, double? TestAccuracy, DateTimeOffset TrainedAt, DateTimeOffset FirstLoadedAt);
