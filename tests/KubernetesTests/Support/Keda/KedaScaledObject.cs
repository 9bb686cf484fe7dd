using k8s;
using k8s.Models;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>keda.sh/v1alpha1 ScaledObject.</summary>
public sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public required V1ObjectMeta Metadata { get; set; }
    public required KedaScaledObjectSpec Spec { get; set; }
}
