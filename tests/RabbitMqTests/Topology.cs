using MassTransit;
using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// The real local topology (<see cref="BrokerTopology"/>: three predictor processes, the gateway and the trainer worker)
/// on the suite's private rabbitmq-server node (scripts/rabbitmq.sh), in a fresh virtual host.
/// </summary>
public sealed class Topology() : BrokerTopology(Broker.Node, $"mnist-test-{Guid.NewGuid():N}"[..20], "rabbitmq-suite-token")
{
    private bool startedBroker;

    protected override Dictionary<string, string> GatewaySettings => new()
    {
        ["Gateway__PredictionTimeoutSeconds"] = "30",
        // One client sending as fast as it can (a faster path made that > 100/s): the limit itself is tested in OverloadTests.
        ["Gateway__PredictionRequestsPerSecondPerClient"] = "0",
        ["Gateway__MaxConcurrentDecodesPerClient"] = "2",
    };

    public Task WaitReadyAsync(ServiceProcess service) => service.WaitReadyAsync();

    /// <summary>A bus client of the test's own, on the suite's virtual host.</summary>
    public Task<IBusControl> StartBusAsync() => Node.StartBusAsync(VirtualHost);

    protected override async Task PrepareBrokerAsync()
    {
        startedBroker = await Node.StartAsync();
        await Node.FreshVirtualHostAsync(VirtualHost);
    }

    protected override async Task CleanUpBrokerAsync()
    {
        await Node.CtlAsync("delete_vhost", VirtualHost);
        if (startedBroker) await Node.StopAsync();
    }
}
