namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// An inference request as REST and gRPC both carry it, checked: its id, the kept version it names (if any), its digits
/// and the outputs asked for; and, for an async one, the SignalR subscription its response is pushed to (request parameter <c>subscription</c>).
/// </summary>
public sealed record OipInferRequest(string? Id, string? Version, OipDigits Digits, IReadOnlyList<string> Outputs, string? Subscription = null);
