namespace MnistEvents.Contracts;

/// <summary>
/// Command (a request to the controller): serve the kept version <paramref name="Version"/> everywhere, a rollback or a
/// promotion by hand, asked by <paramref name="RequestedBy"/>. Answered with the <see cref="ModelActivated"/> it caused,
/// or <see cref="LifecycleCommandRefused"/>.
/// </summary>
public sealed record ActivateModel(string Version, string RequestedBy);
