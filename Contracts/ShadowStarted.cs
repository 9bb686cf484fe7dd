namespace MnistEvents.Contracts;

/// <summary>
/// Every replica also runs the kept version <paramref name="Version"/> (verified against <paramref name="Sha256"/>) on
/// <paramref name="SampleRate"/> of its batches, after answering with the active model, and reports how the two compare
/// (<see cref="ShadowReported"/>), until <see cref="ShadowStopped"/> or another <c>ShadowStarted</c>.
/// </summary>
public sealed record ShadowStarted(string Version, string Sha256, double SampleRate, string RequestedBy, DateTimeOffset At);
