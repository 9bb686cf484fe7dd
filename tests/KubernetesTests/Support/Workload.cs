using k8s.Models;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>A pod template and the workload that runs it, with the volumes a StatefulSet claims per pod.</summary>
public sealed record Workload(string Kind, string Name, V1PodTemplateSpec Template, IReadOnlyList<string> ClaimTemplates)
{
    public V1PodSpec Pod => Template.Spec;

    public IEnumerable<V1Container> AllContainers => Pod.Containers.Concat(Pod.InitContainers ?? []);

    public bool HasVolume(string name) => Pod.Volumes?.Any(v => v.Name == name) == true || ClaimTemplates.Contains(name);

    public override string ToString() => $"{Kind} {Name}";
}
