namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>The <c>Bus</c> configuration section.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    public RabbitMqOptions RabbitMQ { get; set; } = new();
}
