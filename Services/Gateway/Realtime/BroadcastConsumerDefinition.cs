using MassTransit;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Gateway.Realtime;

/// <summary>Each gateway instance hears every training and model event on a queue of its own.</summary>
public sealed class BroadcastConsumerDefinition : ConsumerDefinition<BroadcastConsumer>
{
    public BroadcastConsumerDefinition() => Endpoint(e =>
    {
        e.Name = $"gateway-broadcast-{ReplicaIdentity.Current}";
        e.Temporary = true;
    });
}
