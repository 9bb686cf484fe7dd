using k8s.Models;
using MnistEvents.KubernetesTests.Support;

namespace MnistEvents.KubernetesTests;

/// <summary>Every pod of every rendering: no root, no privilege, no API token, a read-only root filesystem, bounded resources, pinned images.</summary>
public class SecurityTests
{
    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryPodRunsAsNonRootAndOnlyTheLauncherHasAnApiToken(string target)
    {
        foreach (var workload in Manifests.Of(target).Workloads())
        {
            if (workload.Name == "launcher") Assert.Equal("launcher", workload.Pod.ServiceAccountName);
            else
            {
                Assert.True(workload.Pod.AutomountServiceAccountToken == false, $"{workload} mounts a service-account token");
                // The trainings run as their own account (no rights, no token), which the admission policy pins them to.
                Assert.Equal(workload.Name == "trainer" ? "trainer" : null, workload.Pod.ServiceAccountName);
            }
            Assert.True(workload.Pod.SecurityContext?.RunAsNonRoot == true, $"{workload} may run as root");
            Assert.NotEqual(0, workload.Pod.SecurityContext!.RunAsUser);
            Assert.Equal("RuntimeDefault", workload.Pod.SecurityContext.SeccompProfile?.Type);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryContainerIsUnprivilegedReadOnlyAndBounded(string target)
    {
        foreach (var workload in Manifests.Of(target).Workloads())
        foreach (var container in workload.AllContainers)
        {
            var where = $"{workload}/{container.Name}";
            var security = container.SecurityContext;
            Assert.True(security?.AllowPrivilegeEscalation == false, $"{where} allows privilege escalation");
            Assert.True(security!.Capabilities?.Drop?.Contains("ALL") == true, $"{where} keeps Linux capabilities");
            Assert.Null(security.Capabilities!.Add);
            Assert.True(security.ReadOnlyRootFilesystem == true, $"{where} can write its root filesystem");
            Assert.NotEqual(true, security.Privileged);
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{where} requests no {resource}");
                Assert.True(container.Resources!.Limits?.ContainsKey(resource) == true, $"{where} has no {resource} limit");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryMainContainerHasAWritableTmpAndNothingElseWritableButItsVolumes(string target)
    {
        foreach (var workload in Manifests.Of(target).Workloads())
        foreach (var container in workload.Pod.Containers)
        {
            var tmp = container.VolumeMounts?.SingleOrDefault(m => m.MountPath == "/tmp");
            Assert.True(tmp is not null, $"{workload}/{container.Name} has no writable /tmp");
            Assert.NotNull(workload.Pod.Volumes.Single(v => v.Name == tmp!.Name).EmptyDir);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryImageIsPinnedByTag(string target)
    {
        foreach (var workload in Manifests.Of(target).Workloads())
        foreach (var container in workload.AllContainers)
        {
            var tag = container.Image.Contains(':', StringComparison.Ordinal) ? container.Image[(container.Image.LastIndexOf(':') + 1)..] : "";
            Assert.False(tag is "" or "latest", $"{workload}/{container.Name} uses {container.Image}: pin a version");
            Assert.Equal("IfNotPresent", container.ImagePullPolicy);
        }
    }

    [Fact]
    public void ThePredictorsReadTheModelVolumeButCannotWriteIt()
    {
        var predictor = Manifests.Of("k8s").Workloads().Single(w => w.Name == "predictor");

        Assert.True(predictor.Pod.Volumes.Single(v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ReadOnlyProperty);
        Assert.True(predictor.Pod.Containers.Single().VolumeMounts.Single(m => m.MountPath == "/models").ReadOnlyProperty);
    }
}
