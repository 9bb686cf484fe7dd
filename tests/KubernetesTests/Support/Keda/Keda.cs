namespace MnistEvents.KubernetesTests.Support;

/// <summary>
/// KEDA's custom resources, as far as k8s/components/keda uses them: KubernetesClient has no models for them, so these
/// typed stand-ins let the strict loader refuse a misspelt or unknown field there too.
/// </summary>
public static class Keda
{
    public static readonly IDictionary<string, Type> Types = new Dictionary<string, Type>
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(KedaScaledObject),
        ["keda.sh/v1alpha1/TriggerAuthentication"] = typeof(KedaTriggerAuthentication),
    };
}
