namespace MnistEvents.Contracts;

/// <summary>
/// Every replica stops shadowing <paramref name="Version"/>: a person stopped it, another version took its place, or
/// its promotion was settled. What the shadowing showed is kept with the version on the volume.
/// </summary>
public sealed record ShadowStopped(string Version, string StoppedBy, DateTimeOffset At);
