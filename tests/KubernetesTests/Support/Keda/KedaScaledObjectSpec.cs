namespace MnistEvents.KubernetesTests.Support;

public sealed class KedaScaledObjectSpec
{
    public required KedaScaleTarget ScaleTargetRef { get; set; }
    public int? MinReplicaCount { get; set; }
    public int? MaxReplicaCount { get; set; }
    public int? CooldownPeriod { get; set; }
    public int? PollingInterval { get; set; }
    public required List<KedaTrigger> Triggers { get; set; }
}
