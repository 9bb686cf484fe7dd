using MnistEvents.TestSupport;

namespace MnistEvents.FaultTests;

/// <summary>
/// The topology the faults are injected into (<see cref="BrokerTopology"/>: three predictor processes sharing one model
/// volume and the gateway; no trainer) on a rabbitmq-server node of the suite's own (port 5677, so restarting it disturbs
/// no other suite).
/// </summary>
public sealed class FaultTopology() : BrokerTopology(new RabbitMqNode(5677), "mnist-faults", "fault-suite-token")
{
    /// <summary>The model every replica serves when the suite starts; every fault must end with it still served.</summary>
    public string ServedAtStart { get; private set; } = "";

    protected override bool WithTrainer => false;

    protected override TimeSpan HttpTimeout => Load.Patience;

    // The load is one client standing for many: no per-client rate limit, and both decode slots its to use. The
    // full-stores scenario fills the volume's async store to its own gateway's limit; the others' is set above it.
    protected override Dictionary<string, string> GatewaySettings => new()
    {
        ["Gateway__PredictionRequestsPerSecondPerClient"] = "0",
        ["Gateway__MaxConcurrentDecodesPerClient"] = "2",
        ["Gateway__MaxAsyncResults"] = "1000000",
    };

    protected override async Task StartedAsync() => ServedAtStart = Replicas(await ModelsAsync()).Values.OfType<string>().Distinct().Single();

    protected override async Task PrepareBrokerAsync()
    {
        await Node.StartAsync();
        await Node.FreshVirtualHostAsync(VirtualHost);
    }

    protected override Task CleanUpBrokerAsync() => Node.StopAsync();
}
