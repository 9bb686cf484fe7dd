using k8s;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// A second <c>kubectl apply -k</c> after the things a deployment changes (an image tag, its secrets, its settings):
/// the API server refuses any change to a field that cannot change once created, and one such object fails the whole
/// apply. Each target rendered from two copies of k8s/, each with its own secrets, the second with every image retagged
/// and settings changed, must differ in no such field of any object the two share.
/// </summary>
public class ReapplyTests
{
    public static TheoryData<string> Targets => new(Kustomize.Targets);

    private static readonly Lazy<string> Changed = new(() => Kustomize.Prepare(copy =>
    {
        var kustomization = Path.Combine(copy, "base", "kustomization.yaml");
        var text = File.ReadAllText(kustomization);
        var images = Manifests.Of("k8s").Workloads().SelectMany(w => w.Pod.Containers.Concat(w.Pod.InitContainers ?? []))
            .Select(c => c.Image.Split(':')[0]).Distinct();
        // New settings for the runtime, the bus and the trainer, and every image at a new tag.
        text = text.Replace("      - ASPNETCORE_HTTP_PORTS=8080\n", "      - ASPNETCORE_HTTP_PORTS=8080\n      - DOTNET_TieredPGO=0\n")
            .Replace("      - Bus__RabbitMQ__Port=5672\n", "      - Bus__RabbitMQ__Port=5672\n      - Bus__RabbitMQ__Heartbeat=30\n")
            .Replace("      - MNIST_DATA_DIR=/app/data/mnist\n", "      - MNIST_DATA_DIR=/app/data/mnist\n      - Trainer__Reapplied=1\n");
        text += "images:\n" + string.Concat(images.Select(i => $"  - name: {i}\n    newTag: reapplied\n"));
        File.WriteAllText(kustomization, text);
    }));

    [Theory]
    [MemberData(nameof(Targets))]
    public void ApplyingAgainWithNewImagesSecretsAndSettingsChangesNoFieldThatCannotChange(string target)
    {
        var before = Manifests.Of(target);
        var after = Manifests.In(Changed.Value, target);

        var changedImages = after.Workloads().SelectMany(w => w.Pod.Containers).Count(c => c.Image.EndsWith(":reapplied", StringComparison.Ordinal));
        Assert.True(changedImages > 0, "the second rendering retagged the images");
        var previous = before.Documents.Cast<IKubernetesObject<V1ObjectMeta>>().ToDictionary(Key);
        var shared = after.Documents.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => previous.ContainsKey(Key(o))).ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, o => Assert.Equal(Fixed(previous[Key(o)]), Fixed(o)));
    }

    [Fact]
    public void TheFieldsThatCannotChangeAreSeenToChange()
    {
        var claim = Manifests.Of("k8s").Single<V1PersistentVolumeClaim>("mnist-models");
        var other = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(KubernetesJson.Serialize(claim));
        other.Spec.AccessModes = ["ReadWriteOnce"];
        var set = Manifests.Of("k8s").Single<V1StatefulSet>("rabbitmq");
        var resized = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
        resized.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests["storage"] = new ResourceQuantity("2Gi");
        var rescaled = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
        rescaled.Spec.Replicas = 3;

        Assert.NotEqual(Fixed(claim), Fixed(other));
        Assert.NotEqual(Fixed(set), Fixed(resized));
        Assert.Equal(Fixed(set), Fixed(rescaled));
    }

    private static string Key(IKubernetesObject<V1ObjectMeta> o) => $"{o.Kind}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";

    // What the API server keeps as created: the fields of each kind it refuses to update (the rest cleared), as JSON.
    private static string Fixed(IKubernetesObject<V1ObjectMeta> o) => o switch
    {
        V1Job job => KubernetesJson.Serialize(new { job.Spec.Selector, job.Spec.Template, job.Spec.CompletionMode, job.Spec.PodFailurePolicy }),
        V1PersistentVolumeClaim claim => KubernetesJson.Serialize(new
        {
            claim.Spec.AccessModes, claim.Spec.Selector, claim.Spec.StorageClassName, claim.Spec.VolumeMode, claim.Spec.VolumeName, claim.Spec.DataSource,
        }),
        V1PersistentVolume volume => KubernetesJson.Serialize(new { volume.Spec.HostPath, volume.Spec.Nfs, volume.Spec.Csi, volume.Spec.Local }),
        // Only its replicas, pod template, update strategy, ordinals, minReadySeconds and claim retention may change.
        V1StatefulSet set => KubernetesJson.Serialize(new { set.Spec.Selector, set.Spec.ServiceName, set.Spec.VolumeClaimTemplates, set.Spec.PodManagementPolicy }),
        V1Deployment deployment => KubernetesJson.Serialize(deployment.Spec.Selector),
        V1Service service => KubernetesJson.Serialize(new { service.Spec.ClusterIP, service.Spec.ClusterIPs }),
        V1ConfigMap { Immutable: true } map => KubernetesJson.Serialize(new { map.Data, map.BinaryData }),
        V1Secret { Immutable: true } secret => KubernetesJson.Serialize(secret.Data),
        _ => "",
    };
}
