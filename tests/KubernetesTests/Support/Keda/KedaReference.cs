namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaReference
{
    public required string Name { get; set; }
}
