using MassTransit;

namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>
/// A consumer that must see every message of its types in every instance (fan-out, not competing): a queue named
/// for this replica that is deleted when it disconnects.
/// </summary>
public abstract class InstanceConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected InstanceConsumerDefinition(string purpose) => Endpoint(e =>
    {
        e.Name = $"{purpose}-{ReplicaIdentity.Current}";
        e.Temporary = true;
    });
}
