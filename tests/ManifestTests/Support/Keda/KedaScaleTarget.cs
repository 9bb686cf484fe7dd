namespace MnistEvents.ManifestTests.Support;

public sealed class KedaScaleTarget
{
    public required string Name { get; set; }
    public string? Kind { get; set; }
    public string? ApiVersion { get; set; }
}
