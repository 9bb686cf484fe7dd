using System.Net;
using k8s;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// Least network: the rendered NetworkPolicies, evaluated with Kubernetes' semantics over the rendered pods (their
/// labels and named ports) and the pods outside the namespace they name, allow exactly who may reach whom below.
/// </summary>
public class NetworkPolicyTests
{
    private static readonly IPAddress ApiServer = IPAddress.Parse("192.168.49.2");
    private static readonly string[] BrokerClients = ["gateway", "predictor", "controller", "launcher", "trainer", "nightly-retrain"];

    // Outside the namespace: KEDA's operator, the ingress controller, an outside publisher labelled as a broker client,
    // any other pod, and the cluster's DNS.
    private static readonly PolicyPod[] Outside =
    [
        Pod("keda-operator", "keda", new() { ["app"] = "keda-operator" }),
        Pod("ingress-nginx-controller", "ingress-nginx", new() { ["app.kubernetes.io/name"] = "ingress-nginx" }),
        Pod("data-pipeline", "pipelines", new() { ["mnistevents.io/broker-client"] = "true" }),
        Pod("someone", "default", new() { ["app"] = "someone" }),
        Pod("coredns", "kube-system", new() { ["k8s-app"] = "kube-dns" }, new() { ["dns-tcp"] = 53 }),
    ];

    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void ThePoliciesAllowExactlyWhoMayReachWhom(string target)
    {
        var manifests = Manifests.Of(target);
        var policies = new NetworkPolicies([.. manifests.All<V1NetworkPolicy>()]);
        var inside = Inside(manifests);
        var everyone = inside.Concat(Outside).ToList();
        var behindIngress = manifests.All<V1Ingress>().Any();

        var wrong = (from source in everyone
                     from destination in everyone
                     from port in destination.Ports
                     let allowed = policies.Allows(source, destination, port.Value)
                     where allowed != Expected(source, destination, port.Key, behindIngress)
                     select $"{source.Name} → {destination.Name}:{port.Key} {(allowed ? "allowed" : "refused")}").ToList();

        Assert.Contains(inside, p => p.Name == "rabbitmq");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.All(inside, p => Assert.Equal(p.Name == "launcher", policies.AllowsOut(p, ApiServer, 8443)));
    }

    [Fact]
    public void TheEvaluatorReadsPoliciesAsKubernetesDoes()
    {
        const string yaml = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: db, namespace: a }
            spec:
              podSelector: { matchLabels: { app: db } }
              ingress:
                - from:
                    - podSelector: { matchLabels: { app: api } }
                  ports: [{ port: sql }]
            """;
        var policies = new NetworkPolicies([KubernetesYaml.Deserialize<V1NetworkPolicy>(yaml)]);
        var db = Pod("db", "a", new() { ["app"] = "db" }, new() { ["sql"] = 5432, ["admin"] = 9000 });
        var api = Pod("api", "a", new() { ["app"] = "api" });

        Assert.True(policies.Allows(api, db, 5432));
        Assert.False(policies.Allows(api, db, 9000)); // another port
        Assert.False(policies.Allows(api with { Namespace = "b" }, db, 5432)); // a pod selector alone is the policy's namespace
        Assert.False(policies.Allows(Pod("web", "a", new() { ["app"] = "web" }), db, 5432));
        Assert.True(policies.Allows(db, api, 5432)); // no policy selects api, and none isolates db's egress (policyTypes defaults to Ingress)
    }

    // The matrix docs/kubernetes.md ("Network") states.
    /// <summary>
    /// A service that takes X-Forwarded-For's word for who the client is (<c>Proxies:Trusted</c>) must be reachable by
    /// the proxies alone, or anyone reaching it could name any client: the gateway always (web and the ingress reach
    /// it), web only behind the ingress, where the controller alone reaches it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void WhoeverBelievesForwardedHeadersIsReachedByProxiesAlone(string target)
    {
        var manifests = Manifests.Of(target);
        var policies = new NetworkPolicies([.. manifests.All<V1NetworkPolicy>()]);
        var inside = Inside(manifests);
        string[] proxies = ["web", "ingress-nginx-controller"];

        var believers = manifests.Workloads()
            .Where(w => w.Pod.Containers.Any(c => ContainerEnvironment.Of(c, manifests).Keys.Any(k => k.StartsWith("Proxies__Trusted__", StringComparison.Ordinal))))
            .Select(w => w.Name).ToList();
        var reachedByOthers = (from believer in inside.Where(p => believers.Contains(p.Name))
                               from source in inside.Concat(Outside)
                               where !proxies.Contains(source.Name) && believer.Ports.Values.Any(port => policies.Allows(source, believer, port))
                               select $"{source.Name} → {believer.Name}").ToList();

        Assert.Equal(manifests.All<V1Ingress>().Any() ? ["gateway", "web"] : ["gateway"], believers.Order(StringComparer.Ordinal));
        Assert.True(reachedByOthers.Count == 0, string.Join("\n", reachedByOthers));
    }

    private static List<PolicyPod> Inside(Manifests manifests) => manifests.Workloads().Select(w => new PolicyPod(w.Name, "mnist",
        manifests.Single<V1Namespace>("mnist").Metadata.Labels.Append(new("kubernetes.io/metadata.name", "mnist")).ToDictionary(),
        w.Template.Metadata.Labels.ToDictionary(),
        w.Pod.Containers.SelectMany(c => c.Ports ?? []).Where(p => p.Name is not null).ToDictionary(p => p.Name, p => p.ContainerPort))).ToList();

    private static bool Expected(PolicyPod from, PolicyPod to, string port, bool behindIngress)
    {
        var outside = from.Namespace != "mnist";
        var fromName = outside ? null : from.Name;
        // Every pod of the namespace may leave it only for what its policies name; pods outside have no policies here.
        return (to.Namespace, to.Name, port) switch
        {
            ("kube-system", _, _) => true,
            (not "mnist", _, _) => outside,
            (_, "rabbitmq", "amqp") => (fromName is not null && BrokerClients.Contains(fromName)) || from.Labels.GetValueOrDefault("mnistevents.io/broker-client") == "true",
            (_, "rabbitmq", "management") => from.Namespace == "keda",
            (_, "gateway", "http") => fromName == "web" || from.Namespace == "ingress-nginx",
            (_, "gateway", "grpc") => from.Namespace == "ingress-nginx",
            // Behind the ingress, web believes the controller's X-Forwarded-For: no one else may reach it.
            (_, "web", "http") => behindIngress ? from.Namespace == "ingress-nginx" : outside,
            _ => false,
        };
    }

    private static PolicyPod Pod(string name, string ns, Dictionary<string, string> labels, Dictionary<string, int>? ports = null) =>
        new(name, ns, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns }, labels, ports ?? new() { ["http"] = 8080 });
}
