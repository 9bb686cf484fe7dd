namespace MnistEvents.FaultTests;

/// <summary>What became of one request: its kind, HTTP status (0 when none came), what answered or why not, and how long it took.</summary>
public sealed record Outcome(OutcomeKind Kind, int Status, string? Version, string? Replica, string? Reason = null, TimeSpan Elapsed = default);
