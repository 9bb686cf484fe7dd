using k8s.Models;
using MnistEvents.KubernetesTests.Support;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// What a cluster does to pods in its ordinary course (rolls, drains, node losses) costs no answered request: each
/// long-running container outlives its endpoint's removal and its own shutdown, replicated ones are spread and kept
/// available through a drain, and nothing a pod writes to its scratch space grows without bound.
/// </summary>
public class DisruptionTests
{
    // HostOptions.ShutdownTimeout's default since .NET 8, which no service changes: in-flight requests and batches answer within it.
    private const int ShutdownSeconds = 30;

    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryLongRunningContainerOutlivesItsEndpointsRemovalAndItsShutdownWithinItsGracePeriod(string target)
    {
        var running = Manifests.Of(target).Workloads().Where(w => w.Kind is "Deployment" or "StatefulSet").ToList();

        Assert.NotEmpty(running);
        Assert.All(running, w => Assert.All(w.Pod.Containers, c =>
        {
            var wait = c.Lifecycle?.PreStop?.Exec?.Command;
            Assert.True(wait is ["sleep", _], $"{w} {c.Name} has no preStop sleep");
            var seconds = int.Parse(wait![1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(w.Pod.TerminationGracePeriodSeconds > seconds + ShutdownSeconds,
                $"{w} gives {w.Pod.TerminationGracePeriodSeconds} s to {seconds} s of preStop and a {ShutdownSeconds} s shutdown");
        }));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryScratchVolumeHasASizeLimit(string target)
    {
        var workloads = Manifests.Of(target).Workloads().ToList();

        Assert.All(workloads, w => Assert.All(w.Pod.Volumes.Where(v => v.EmptyDir is not null),
            v => Assert.True(v.EmptyDir.SizeLimit is not null, $"{w}'s emptyDir {v.Name} has no sizeLimit")));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void ReplicatedWorkloadsAreSpreadOverNodesAndADrainLeavesSomeServing(string target)
    {
        var manifests = Manifests.Of(target);
        var budgets = manifests.All<V1PodDisruptionBudget>().ToList();
        var replicated = manifests.All<V1Deployment>().Where(d => d.Spec.Replicas is null or > 1).ToList();

        Assert.Equal(["predictor", "web"], replicated.Select(d => d.Metadata.Name).Order());
        Assert.All(replicated, d =>
        {
            var labels = d.Spec.Template.Metadata.Labels;
            var budget = Assert.Single(budgets, b => b.Spec.Selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value));
            var least = d.Spec.Replicas ?? manifests.All<KedaScaledObject>().Single(s => s.Spec.ScaleTargetRef.Name == d.Metadata.Name).Spec.MinReplicaCount!.Value;
            // Some stay through a drain, and a drain can always proceed.
            Assert.InRange(int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture), 1, least - 1);
            Assert.Equal("AlwaysAllow", budget.Spec.UnhealthyPodEvictionPolicy);
            var spread = Assert.Single(d.Spec.Template.Spec.TopologySpreadConstraints);
            Assert.Equal(("kubernetes.io/hostname", d.Metadata.Name), (spread.TopologyKey, spread.LabelSelector.MatchLabels["app.kubernetes.io/name"]));
        });
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void TheNamespaceEnforcesTheRestrictedPodSecurityStandardAndNoPodMountsAHostPath(string target)
    {
        var manifests = Manifests.Of(target);

        Assert.Equal("restricted", manifests.Single<V1Namespace>("mnist").Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.All(manifests.Workloads(), w => Assert.DoesNotContain(w.Pod.Volumes ?? [], v => v.HostPath is not null));
    }

    [Fact]
    public void TheSingletonsAreReplacedNotRolled()
    {
        var manifests = Manifests.Of("k8s");

        // Two controllers would both decide; two launchers would both make a training's Job.
        Assert.All(new[] { "controller", "launcher" }, name => Assert.Equal("Recreate", manifests.Single<V1Deployment>(name).Spec.Strategy.Type));
    }
}
