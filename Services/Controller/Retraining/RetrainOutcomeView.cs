namespace MnistEvents.Controller.Retraining;

/// <summary>Where a decision left a training: <paramref name="Outcome"/> (a <c>RetrainSettled</c> outcome) once it ended, null while its candidate waits on its shadowing; why, in words.</summary>
public sealed record RetrainOutcomeView(string? Outcome, string Reason);
