namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaScaleTarget
{
    public required string Name { get; set; }
    public string? Kind { get; set; }
    public string? ApiVersion { get; set; }
}
