namespace MnistEvents.Gateway.OpenInference;

/// <summary>The answer of <c>GET /v2/health/ready</c>.</summary>
public sealed record OipServerReady(bool Ready);
