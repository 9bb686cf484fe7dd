using MassTransit;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Models;

/// <summary>A person's lifecycle commands share one queue, one at a time, so two activations never interleave.</summary>
public sealed class LifecycleCommandsDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public LifecycleCommandsDefinition()
    {
        EndpointName = QueueNames.LifecycleCommands;
        ConcurrentMessageLimit = 1;
    }
}
