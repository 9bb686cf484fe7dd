namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaTrigger
{
    public required string Type { get; set; }
    public required Dictionary<string, string> Metadata { get; set; }
    public KedaReference? AuthenticationRef { get; set; }
}
