namespace MnistEvents.Gateway.OpenInference;

/// <summary>The 202 answer to an inference request sent with <c>Prefer: respond-async</c>: where its response will be, and whether it will also be pushed.</summary>
public sealed record OipAsyncAccepted(Guid Id, string Status, string Location, bool Pushed);
