namespace MnistEvents.Contracts;

/// <summary>
/// Event: the controller's retrain policy, as of its latest check: on or off, each rule and what it measures now, the
/// latest firings and suppressions (newest first), its last firing, the training running now (while one runs it asks
/// for none), and when the rules were last checked (null while it is off).
/// </summary>
public sealed record RetrainPolicyChecked(bool Enabled, double IntervalMinutes, PolicyRule[] Rules, PolicyDecision[] Recent, PolicyFired? LastFiring,
    Guid? TrainingRunning, DateTimeOffset? CheckedAt);
