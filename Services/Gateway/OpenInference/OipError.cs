namespace MnistEvents.Gateway.OpenInference;

/// <summary>The protocol's error body: what was wrong, in words.</summary>
public sealed record OipError(string Error);
