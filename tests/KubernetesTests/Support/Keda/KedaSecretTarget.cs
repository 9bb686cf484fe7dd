namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaSecretTarget
{
    public required string Parameter { get; set; }
    public required string Name { get; set; }
    public required string Key { get; set; }
}
