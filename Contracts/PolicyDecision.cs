namespace MnistEvents.Contracts;

/// <summary>
/// A firing or a suppression of the retrain policy: the rule and cause, <paramref name="Outcome"/> (<c>fired</c>, or
/// <c>suppressed</c> with <paramref name="Why"/>), the training asked for, and how many checks in a row came to it.
/// </summary>
public sealed record PolicyDecision(DateTimeOffset At, string Rule, string Cause, string Outcome, string Reason, string? Why, Guid? TrainingId,
    int Times, DateTimeOffset LastAt);
