using MnistEvents.Registry;

namespace MnistEvents.Gateway.Retraining;

/// <summary>
/// The retrain policy as <c>GET /models</c> (and the <c>models</c> push) shows it: on or off, each rule, the latest
/// firings and suppressions this gateway decided (newest first), the last firing on the volume by any instance, the
/// training running now, and when the rules were last checked.
/// </summary>
public sealed record RetrainPolicyView(bool Enabled, double IntervalMinutes, IReadOnlyList<PolicyRuleView> Rules, IReadOnlyList<PolicyDecisionView> Recent,
    PolicyFiring? LastFiring, Guid? TrainingRunning, DateTimeOffset? CheckedAt);
