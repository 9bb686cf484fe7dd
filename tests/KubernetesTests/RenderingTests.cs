using k8s;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.KubernetesTests;

/// <summary>What `kubectl apply -k` would send: rendered offline, every document known to KubernetesClient's models, nothing required left out.</summary>
public class RenderingTests
{
    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryDocumentLoadsStrictlyWithItsRequiredFields(string target)
    {
        var manifests = Manifests.Of(target);

        Assert.NotEmpty(manifests.Documents);
        Assert.All(manifests.Documents, document => Assert.Empty(RequiredFields.Missing(document)));
    }

    [Fact]
    public void AMisspeltFieldFailsTheStrictLoad()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: typo
            spec:
              selectr:
                app: x
            """;

        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => KubernetesYaml.LoadAllFromString(yaml, Keda.Types, strict: true));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverythingLivesInNamespaceMnistButTheVolume(string target)
    {
        var manifests = Manifests.Of(target);

        var objects = manifests.Documents.Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        Assert.Contains(objects, o => o is V1Namespace { Metadata.Name: "mnist" });
        Assert.All(objects.Where(o => o is not (V1Namespace or V1PersistentVolume)), o => Assert.Equal("mnist", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void TheBaseKeepsTheSeedsWalkthrough()
    {
        var manifests = Manifests.Of("k8s");

        var volume = manifests.Single<V1PersistentVolume>("mnist-models");
        Assert.Equal("/mnt/mnist", volume.Spec.HostPath.Path);
        Assert.Equal("mnist", volume.Spec.StorageClassName);
        Assert.Equal("3Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal("mnist", manifests.Single<V1PersistentVolumeClaim>("mnist-models").Spec.StorageClassName);
        Assert.Equal(3, manifests.Single<V1Deployment>("predictor").Spec.Replicas);
        var gateway = manifests.Single<V1Service>("gateway");
        Assert.Equal("NodePort", gateway.Spec.Type);
        Assert.Equal(1234, gateway.Spec.Ports.Single(p => p.Name == "http").Port);
        Assert.Equal("NodePort", manifests.Single<V1Service>("web").Spec.Type);
        // The seed's one epoch is the first training the controller asks for, run from the launcher's template.
        var trainer = Assert.Single(manifests.Single<V1CronJob>("trainer-template").Spec.JobTemplate.Spec.Template.Spec.Containers);
        Assert.Equal(["--epochs", "1", "--save-model", "--save-model-path", "/models/mnist.pt"], trainer.Args);
        Assert.Equal("true", manifests.Generated("controller-settings").Data["Controller__TrainFirstModel"]);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void NoJobIsAppliedAndTheLaunchersTemplateNeverRunsOnItsOwn(string target)
    {
        var manifests = Manifests.Of(target);

        // A Job's pod template cannot change: one in the applied set fails every re-apply that changes what its pod names.
        Assert.Empty(manifests.All<V1Job>());
        Assert.True(manifests.Single<V1CronJob>("trainer-template").Spec.Suspend);
    }

    [Fact]
    public void TheRwxOverlayReplacesTheHostPathVolumeWithAReadWriteManyClaim()
    {
        var manifests = Manifests.Of("k8s/overlays/rwx");

        Assert.Empty(manifests.All<V1PersistentVolume>());
        var claim = manifests.Single<V1PersistentVolumeClaim>("mnist-models");
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Null(claim.Spec.Selector);
    }

    [Fact]
    public void TheKedaOverlayScalesThePredictorsOnTheirQueueAndLeavesTheirCountToKeda()
    {
        var manifests = Manifests.Of("k8s/overlays/keda");

        var scaled = manifests.Single<KedaScaledObject>("predictor");
        Assert.Equal("predictor", scaled.Spec.ScaleTargetRef.Name);
        Assert.Equal([QueueNames.PredictDigitBatch], scaled.Spec.Triggers.Select(t => t.Metadata["queueName"]));
        Assert.Null(manifests.Single<V1Deployment>("predictor").Spec.Replicas);
    }
}
