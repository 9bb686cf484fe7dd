using System.Net;
using k8s.Models;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>A pod as NetworkPolicies see it: its namespace and that namespace's labels, its own labels, its named ports.</summary>
public sealed record PolicyPod(string Name, string Namespace, IReadOnlyDictionary<string, string> NamespaceLabels,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, int> Ports);

/// <summary>
/// Kubernetes' NetworkPolicy semantics over rendered policies, for TCP: a connection is allowed when the destination is
/// not isolated for ingress or some policy selecting it admits the source on that port, and the source is not isolated
/// for egress or some policy selecting it lets it out to the destination on that port. A pod is isolated in a direction
/// once any policy selecting it names that direction in its policyTypes. Peers combine a namespace and a pod selector as
/// one condition; a pod selector alone means the policy's own namespace; an ipBlock matches addresses, never pods.
/// </summary>
public sealed class NetworkPolicies(IReadOnlyList<V1NetworkPolicy> policies)
{
    public bool Allows(PolicyPod from, PolicyPod to, int port) =>
        Admits(to, port, "Ingress", to, (peer, policy) => Matches(peer, policy, from))
        && Admits(from, port, "Egress", to, (peer, policy) => Matches(peer, policy, to));

    /// <summary>Whether <paramref name="from"/> may open a connection to <paramref name="address"/>, which is no pod's.</summary>
    public bool AllowsOut(PolicyPod from, IPAddress address, int port) =>
        Admits(from, port, "Egress", null, (peer, _) => peer.IpBlock is { } block && Contains(block, address));

    // Whether the policies selecting the pod in this direction (if any) let the connection through; a named port is the
    // listening pod's.
    private bool Admits(PolicyPod pod, int port, string direction, PolicyPod? listener, Func<V1NetworkPolicyPeer, V1NetworkPolicy, bool> peerMatches)
    {
        var selecting = policies.Where(p => p.Metadata.NamespaceProperty == pod.Namespace && Selects(p.Spec.PodSelector, pod.Labels)
            && Types(p).Contains(direction)).ToList();
        if (selecting.Count == 0) return true;
        return selecting.Any(policy => Rules(policy, direction).Any(rule =>
            (rule.Peers is null || rule.Peers.Count == 0 || rule.Peers.Any(peer => peerMatches(peer, policy)))
            && (rule.Ports is null || rule.Ports.Count == 0 || rule.Ports.Any(r => PortMatches(r, port, listener)))));
    }

    private static IEnumerable<(IList<V1NetworkPolicyPeer>? Peers, IList<V1NetworkPolicyPort>? Ports)> Rules(V1NetworkPolicy policy, string direction) =>
        direction == "Ingress"
            ? (policy.Spec.Ingress ?? []).Select(r => ((IList<V1NetworkPolicyPeer>?)r.FromProperty, (IList<V1NetworkPolicyPort>?)r.Ports))
            : (policy.Spec.Egress ?? []).Select(r => ((IList<V1NetworkPolicyPeer>?)r.To, (IList<V1NetworkPolicyPort>?)r.Ports));

    // policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
    private static IList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes ?? (policy.Spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"]);

    private static bool Matches(V1NetworkPolicyPeer peer, V1NetworkPolicy policy, PolicyPod pod)
    {
        if (peer.IpBlock is not null) return false;
        var namespaceMatches = peer.NamespaceSelector is null
            ? pod.Namespace == policy.Metadata.NamespaceProperty
            : Selects(peer.NamespaceSelector, pod.NamespaceLabels);
        return namespaceMatches && (peer.PodSelector is null || Selects(peer.PodSelector, pod.Labels));
    }

    private static bool PortMatches(V1NetworkPolicyPort rule, int port, PolicyPod? listener)
    {
        if ((rule.Protocol ?? "TCP") != "TCP") return false;
        if (rule.Port is null) return true;
        var value = rule.Port.Value;
        var number = int.TryParse(value, out var n) ? n : listener?.Ports.GetValueOrDefault(value) ?? -1;
        return rule.EndPort is { } end ? port >= number && port <= end : port == number;
    }

    private static bool Selects(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return true;
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && requirement.Values.Contains(actual!),
                "NotIn" => !has || !requirement.Values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator {requirement.OperatorProperty}"),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool Contains(V1IPBlock block, IPAddress address)
    {
        bool In(string cidr) => IPNetwork.Parse(cidr).Contains(address);
        return In(block.Cidr) && !(block.Except ?? []).Any(In);
    }
}
