namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaTriggerAuthenticationSpec
{
    public required List<KedaSecretTarget> SecretTargetRef { get; set; }
}
