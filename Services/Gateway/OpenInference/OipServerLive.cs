namespace MnistEvents.Gateway.OpenInference;

/// <summary>The answer of <c>GET /v2/health/live</c>.</summary>
public sealed record OipServerLive(bool Live);
