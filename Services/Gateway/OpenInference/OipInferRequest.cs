namespace MnistEvents.Gateway.OpenInference;

/// <summary>An inference request as REST and gRPC both carry it, checked: its id, the kept version it names (if any), its digits and the outputs asked for.</summary>
public sealed record OipInferRequest(string? Id, string? Version, OipDigits Digits, IReadOnlyList<string> Outputs);
