using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>The suite's private rabbitmq-server node, started once for the whole suite.</summary>
public static class Broker
{
    public static RabbitMqNode Node { get; } = new(5679);
}
