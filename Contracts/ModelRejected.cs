namespace MnistEvents.Contracts;

/// <summary>Event: a replica refused a saved model (wrong sha256, unreadable, failed its smoke inference) and keeps serving <paramref name="StillServing"/>.</summary>
public sealed record ModelRejected(string Replica, string Version, string Reason, string? StillServing, DateTimeOffset RejectedAt);
