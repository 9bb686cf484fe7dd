namespace MnistEvents.Contracts;

/// <summary>
/// Command (a request to the controller): have the replicas also run the kept version <paramref name="Version"/> on
/// <paramref name="SampleRate"/> of their batches (0 stops shadowing it), asked by <paramref name="RequestedBy"/>.
/// Answered with <see cref="ShadowStarted"/> or <see cref="ShadowStopped"/>, or <see cref="LifecycleCommandRefused"/>.
/// </summary>
public sealed record ShadowModel(string Version, double SampleRate, string RequestedBy);
