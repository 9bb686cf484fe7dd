namespace MnistEvents.Gateway.OpenInference;

/// <summary>The answer of <c>GET /v2/models/mnist[/versions/{v}]/ready</c>.</summary>
public sealed record OipModelReady(string Name, bool Ready);
