namespace MnistEvents.Registry;

/// <summary>
/// What every replica shadows, kept on the volume (<c>shadow.json</c>) so a replica that starts, restarts or missed the
/// <c>ShadowStarted</c> event follows it too. With <paramref name="PromoteAfter"/> set, the candidate passed the promotion
/// gate and its promotion waits until the replicas have compared it with the served model on that many live digits.
/// </summary>
public sealed record ShadowPlan(string Version, string Sha256, double SampleRate, long? PromoteAfter, string RequestedBy, DateTimeOffset StartedAt);
