using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.Gateway.Replicas;

namespace MnistEvents.Gateway.Models;

/// <summary>
/// The answer of <c>GET /models</c> (and the <c>models</c> push): the version most replicas serve, every live replica,
/// the latest refusals, and the gateway's clock when this was taken, so a client can say "seen 3 s ago" without trusting its own;
/// with the model volume's kept versions and the one its pointer names (<see cref="ModelCatalog"/>), how far the live
/// traffic has drifted from the served version's data, and the retrain policy, as the controller last reported them.
/// </summary>
public sealed record ModelsView(ServedModelInfo? Current, IReadOnlyList<ReplicaStatus> Replicas, IReadOnlyList<string> RecentRejections, DateTimeOffset At,
    string? Active = null, IReadOnlyList<ModelVersionView>? Versions = null, ShadowView? Shadow = null, DriftNow? Drift = null,
    RetrainPolicyChecked? RetrainPolicy = null);
