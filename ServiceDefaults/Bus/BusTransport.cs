namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>Where messages travel: in this process only (the all-in-one default, and unit tests), or through RabbitMQ.</summary>
public enum BusTransport
{
    InMemory,
    RabbitMQ,
}
