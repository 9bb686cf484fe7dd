namespace MnistEvents.Registry;

/// <summary>
/// The retrain policy asked for a training: for which cause (<paramref name="Cause"/>, e.g. <c>corrections-since-{version}</c>,
/// never fired twice), by which rule, why in words (the request's <c>RequestedBy</c>), the training it asked for, which
/// gateway instance, and when.
/// </summary>
public sealed record PolicyFiring(string Cause, string Rule, string Reason, Guid TrainingId, string Instance, DateTimeOffset FiredAt);
