namespace MnistEvents.Gateway.OpenInference;

/// <summary>The answer of <c>GET /v2</c>.</summary>
public sealed record OipServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);
