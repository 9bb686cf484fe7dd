using MassTransit;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Gateway.Replicas;

/// <summary>Each gateway instance hears every announcement: a queue of its own that goes away with it.</summary>
public sealed class ReplicaEventsConsumerDefinition : ConsumerDefinition<ReplicaEventsConsumer>
{
    public ReplicaEventsConsumerDefinition() =>
        Endpoint(e =>
        {
            e.Name = $"gateway-replica-events-{ReplicaIdentity.Current}";
            e.Temporary = true;
        });
}
