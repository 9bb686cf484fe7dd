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
    public void TheBaseClaimsItsModelVolumeReadWriteManyFromTheClustersDefaultClass()
    {
        var manifests = Manifests.Of("k8s");

        // Predictors, gateways and trainings on different nodes all mount it.
        Assert.Empty(manifests.All<V1PersistentVolume>());
        var claim = manifests.Single<V1PersistentVolumeClaim>("mnist-models");
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Null(claim.Spec.StorageClassName);
        Assert.Null(claim.Spec.Selector);
        Assert.Equal("3Gi", claim.Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public void TheMinikubeComponentBindsTheClaimToTheSeedsHostPathOnItsOneNode()
    {
        var manifests = Manifests.Of("k8s/examples/minikube-hostpath");

        var volume = manifests.Single<V1PersistentVolume>("mnist-models");
        var claim = manifests.Single<V1PersistentVolumeClaim>("mnist-models");
        Assert.Equal(("/mnt/mnist", "mnist", "3Gi"), (volume.Spec.HostPath.Path, volume.Spec.StorageClassName, volume.Spec.Capacity["storage"].ToString()));
        Assert.Equal(("mnist", volume.Metadata.Labels["app.kubernetes.io/name"]), (claim.Spec.StorageClassName, claim.Spec.Selector.MatchLabels["app.kubernetes.io/name"]));
        Assert.Equal(volume.Spec.AccessModes, claim.Spec.AccessModes);
        // A hostPath is one node's directory: pinned to it, no pod that mounts it is scheduled where it would read another.
        var term = Assert.Single(volume.Spec.NodeAffinity.Required.NodeSelectorTerms);
        var node = Assert.Single(term.MatchExpressions);
        Assert.Equal(("kubernetes.io/hostname", "In"), (node.Key, node.OperatorProperty));
        Assert.Equal(["minikube"], node.Values);
    }

    [Fact]
    public void TheKedaComponentScalesThePredictorsOnTheirQueueAndLeavesTheirCountToKeda()
    {
        var manifests = Manifests.Of("k8s/compositions/keda");

        var scaled = manifests.Single<KedaScaledObject>("predictor");
        Assert.Equal("predictor", scaled.Spec.ScaleTargetRef.Name);
        Assert.Equal([QueueNames.PredictDigitBatch], scaled.Spec.Triggers.Select(t => t.Metadata["queueName"]));
        Assert.Null(manifests.Single<V1Deployment>("predictor").Spec.Replicas);
    }

    [Fact]
    public void TheProductionExampleComposesKedaTheNightlyRetrainAndTlsIngressInOneApply()
    {
        var manifests = Manifests.Of("k8s/examples/production");

        Assert.Single(manifests.All<KedaScaledObject>());
        Assert.Single(manifests.All<V1CronJob>(), c => c.Metadata.Name == "nightly-retrain");
        var ingresses = manifests.All<V1Ingress>().ToList();
        Assert.Equal(2, ingresses.Count);
        // Every host is served over TLS: the admin token never crosses plain HTTP.
        Assert.All(ingresses, i => Assert.Equal(i.Spec.Rules.Select(r => r.Host).Order(), i.Spec.Tls.SelectMany(t => t.Hosts).Order()));
        var backends = ingresses.SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths).Select(p => (p.Backend.Service.Name, p.Backend.Service.Port.Name)).ToHashSet();
        Assert.Equal([("gateway", "grpc"), ("gateway", "http"), ("web", "http")], backends.Order());
        Assert.Equal("GRPC", ingresses.Single(i => i.Spec.Rules.Any(r => r.Http.Paths.Any(p => p.Backend.Service.Port.Name == "grpc")))
            .Metadata.Annotations["nginx.ingress.kubernetes.io/backend-protocol"]);
    }
}
