using k8s;
using k8s.Models;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>keda.sh/v1alpha1 TriggerAuthentication.</summary>
public sealed class KedaTriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public required V1ObjectMeta Metadata { get; set; }
    public required KedaTriggerAuthenticationSpec Spec { get; set; }
}
