namespace MnistEvents.Gateway.OpenInference;

/// <summary>An async inference request not answered yet: how many of its digits are.</summary>
public sealed record OipAsyncPending(Guid Id, string Status, int Done, int Digits);
