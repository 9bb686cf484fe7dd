using k8s.Models;
using MnistEvents.KubernetesTests.Support;

namespace MnistEvents.KubernetesTests;

/// <summary>What an API server would accept but a cluster could not run: names and ports that point at nothing.</summary>
public class CrossReferenceTests
{
    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryServiceSelectsAPodAndEveryTargetPortIsOneOfItsContainerPorts(string target)
    {
        var manifests = Manifests.Of(target);

        foreach (var service in manifests.All<V1Service>())
        {
            var selected = manifests.Workloads().Where(w => service.Spec.Selector.All(s => w.Template.Metadata.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();
            Assert.True(selected.Count > 0, $"Service {service.Metadata.Name} selects no pod");
            foreach (var port in service.Spec.Ports)
            {
                var ports = selected.SelectMany(w => w.Pod.Containers).SelectMany(c => c.Ports ?? []).ToList();
                Assert.True(ports.Any(p => p.Name == port.TargetPort.Value || p.ContainerPort.ToString() == port.TargetPort.Value),
                    $"Service {service.Metadata.Name} port {port.Name} targets {port.TargetPort.Value}, which no selected container exposes");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryClaimConfigMapSecretAndKeyReferencedExists(string target)
    {
        var manifests = Manifests.Of(target);
        var claims = manifests.All<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet();
        var configMaps = manifests.All<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);
        var secrets = manifests.All<V1Secret>().ToDictionary(s => s.Metadata.Name);

        foreach (var workload in manifests.Workloads())
        {
            foreach (var volume in workload.Pod.Volumes ?? [])
            {
                if (volume.PersistentVolumeClaim is { } claim) Assert.Contains(claim.ClaimName, claims);
                if (volume.ConfigMap is { } map) Assert.True(configMaps.ContainsKey(map.Name), $"{workload}: no ConfigMap {map.Name}");
                if (volume.Secret is { } secret) Assert.True(secrets.ContainsKey(secret.SecretName), $"{workload}: no Secret {secret.SecretName}");
            }
            foreach (var container in workload.AllContainers)
            {
                foreach (var source in container.EnvFrom ?? [])
                    Assert.True(configMaps.ContainsKey(source.ConfigMapRef.Name), $"{workload}/{container.Name}: no ConfigMap {source.ConfigMapRef.Name}");
                foreach (var variable in container.Env ?? [])
                {
                    if (variable.ValueFrom?.SecretKeyRef is not { } reference) continue;
                    Assert.True(secrets.TryGetValue(reference.Name, out var secret), $"{workload}/{container.Name}: no Secret {reference.Name}");
                    Assert.True(secret!.Data.ContainsKey(reference.Key), $"{workload}/{container.Name}: Secret {reference.Name} has no key {reference.Key}");
                }
                foreach (var mount in container.VolumeMounts ?? [])
                    Assert.True(workload.HasVolume(mount.Name), $"{workload}/{container.Name} mounts a volume {mount.Name} the pod lacks");
            }
            if (workload.Pod.ServiceAccountName is { } account)
                Assert.Contains(manifests.All<V1ServiceAccount>(), a => a.Metadata.Name == account);
        }
        foreach (var authentication in manifests.All<KedaTriggerAuthentication>())
            foreach (var reference in authentication.Spec.SecretTargetRef)
                Assert.True(secrets.TryGetValue(reference.Name, out var secret) && secret.Data.ContainsKey(reference.Key),
                    $"TriggerAuthentication {authentication.Metadata.Name}: no Secret {reference.Name} with key {reference.Key}");
        foreach (var scaled in manifests.All<KedaScaledObject>())
        {
            manifests.Single<V1Deployment>(scaled.Spec.ScaleTargetRef.Name);
            foreach (var trigger in scaled.Spec.Triggers)
                Assert.Contains(trigger.AuthenticationRef!.Name, manifests.All<KedaTriggerAuthentication>().Select(a => a.Metadata.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void TheBrokerEveryServiceNamesIsTheRabbitMqServiceOnItsAmqpPortAndVirtualHost(string target)
    {
        var manifests = Manifests.Of(target);
        var bus = manifests.Generated("bus-settings").Data;
        var rabbit = manifests.Single<V1Service>("rabbitmq");

        Assert.Equal(rabbit.Metadata.Name, bus["Bus__RabbitMQ__Host"]);
        Assert.Equal(rabbit.Spec.Ports.Single(p => p.Name == "amqp").Port.ToString(), bus["Bus__RabbitMQ__Port"]);
        var management = rabbit.Spec.Ports.Single(p => p.Name == "management").Port;
        foreach (var trigger in manifests.All<KedaScaledObject>().SelectMany(s => s.Spec.Triggers))
            Assert.Equal($"http://{rabbit.Metadata.Name}:{management}/{bus["Bus__RabbitMQ__VirtualHost"]}", trigger.Metadata["host"]);
    }
}
