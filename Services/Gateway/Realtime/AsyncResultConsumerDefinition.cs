using MassTransit;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Gateway.Realtime;

/// <summary>SignalR pushes come from this gateway instance's own queue, which goes away with it (every instance hears every event).</summary>
public sealed class AsyncResultConsumerDefinition : ConsumerDefinition<AsyncResultConsumer>
{
    public AsyncResultConsumerDefinition() => Endpoint(e =>
    {
        e.Name = $"gateway-async-results-{ReplicaIdentity.Current}";
        e.Temporary = true;
    });
}
