namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// An accepted async inference request as kept on the volume: its own id (the capability to fetch it), the id the
/// client gave, the kept version it named, one async prediction per digit, in order, and the outputs asked for.
/// </summary>
public sealed record OipAsyncRequest(Guid Id, string? RequestId, string? Version, Guid[] Digits, string[] Outputs, DateTimeOffset AcceptedAt);
